// CUDA C source of the training kernels: embedding gather and scatter-add, the fused log-softmax + cross-entropy +
// gradient, the decoder bias gradient, dropout before the decoder, the squared gradient norm, and Adam or AdamW with
// the clipping factor applied on the fly.
namespace TextGen.Cuda;

/// <summary>The CUDA C source compiled by NVRTC at first use; every kernel is <c>extern "C"</c> so its name is stable.</summary>
internal static partial class KernelSource
{
    /// <summary>Warp reductions shared by all kernels.</summary>
    public const string Common = """
        // NVRTC compiles without the C headers, so no INFINITY macro: build -inf from its bits.
        #define NEG_INF (__int_as_float(0xff800000))
        __device__ __forceinline__ float warp_sum(float v) {
            for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
            return v;
        }
        __device__ __forceinline__ float warp_max(float v) {
            for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
            return v;
        }
        // Sum over the block, valid in thread 0; blockDim.x must be a multiple of 32.
        __device__ float block_sum(float v) {
            __shared__ float partial[32];
            int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
            v = warp_sum(v);
            __syncthreads();
            if (lane == 0) partial[warp] = v;
            __syncthreads();
            float total = 0.0f;
            if (warp == 0) {
                total = lane < (int)(blockDim.x >> 5) ? partial[lane] : 0.0f;
                total = warp_sum(total);
            }
            return total;
        }
        __device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

        """;

    /// <summary>Kernels of one training step, in the order the step runs them.</summary>
    public const string Training = """
        // out[r, :] = weight[ids[r], :] for r < rows; out is (rows, dim) row-major.
        extern "C" __global__ void embedding_forward(const float* __restrict__ weight, const int* __restrict__ ids,
                                                     float* __restrict__ out, int rows, int dim) {
            long long total = (long long)rows * dim;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long r = i / dim, c = i - r * dim;
                out[i] = weight[(long long)ids[r] * dim + c];
            }
        }

        // grad_weight[ids[r], :] += grad_out[r, :]; grad_weight must be zeroed first (repeated ids add up).
        extern "C" __global__ void embedding_backward(const float* __restrict__ grad_out, const int* __restrict__ ids,
                                                      float* __restrict__ grad_weight, int rows, int dim) {
            long long total = (long long)rows * dim;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long r = i / dim, c = i - r * dim;
                atomicAdd(&grad_weight[(long long)ids[r] * dim + c], grad_out[i]);
            }
        }

        // One warp per row of logits (rows, classes), bias added on the fly:
        //   loss_sum += -log_softmax(z + b)[target]          (summed over the block, one atomic per block)
        //   logits   <- (softmax(z + b) - onehot(target)) * grad_scale, the gradient of the mean loss in place.
        extern "C" __global__ void cross_entropy_forward_backward(float* __restrict__ logits, const float* __restrict__ bias,
                                                                  const int* __restrict__ targets, float* __restrict__ loss_sum,
                                                                  int rows, int classes, float grad_scale) {
            int lane = threadIdx.x & 31;
            int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
            float loss = 0.0f;
            if (row < rows) {
                float* z = logits + (long long)row * classes;
                float m = NEG_INF;
                for (int j = lane; j < classes; j += 32) m = fmaxf(m, z[j] + bias[j]);
                m = warp_max(m);
                float s = 0.0f;
                for (int j = lane; j < classes; j += 32) s += expf(z[j] + bias[j] - m);
                float log_sum = logf(warp_sum(s));
                int t = targets[row];
                for (int j = lane; j < classes; j += 32) {
                    float log_p = z[j] + bias[j] - m - log_sum;
                    float p = expf(log_p);
                    if (j == t) { loss = -log_p; p -= 1.0f; }
                    z[j] = p * grad_scale;
                }
            }
            float total = block_sum(loss);
            if (threadIdx.x == 0) atomicAdd(loss_sum, total);
        }

        // grad_bias[j] += sum_r grad[r, j]; block (32, 8): x walks columns (coalesced), y walks rows.
        extern "C" __global__ void bias_backward(const float* __restrict__ grad, float* __restrict__ grad_bias, int rows, int cols) {
            __shared__ float partial[8][33];
            int col = blockIdx.x * 32 + threadIdx.x;
            float acc = 0.0f;
            if (col < cols)
                for (int r = blockIdx.y * 8 + threadIdx.y; r < rows; r += gridDim.y * 8)
                    acc += grad[(long long)r * cols + col];
            partial[threadIdx.y][threadIdx.x] = acc;
            __syncthreads();
            if (threadIdx.y == 0 && col < cols) {
                float s = 0.0f;
                for (int k = 0; k < 8; k++) s += partial[k][threadIdx.x];
                atomicAdd(&grad_bias[col], s);
            }
        }

        // Dropout before the decoder, its mask a counter-based hash (splitmix64) of (seed, i): the backward pass recomputes it
        // instead of storing it, and a resumed run draws the same masks. Keeps element i when u(seed, i) >= p, scaled by 1 / (1 - p);
        // y may be x (the backward pass scales the gradient in place).
        __device__ __forceinline__ float dropout_uniform(unsigned long long seed, long long i) {
            unsigned long long z = seed + (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ull;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            return (float)(z >> 40) * (1.0f / 16777216.0f);
        }
        extern "C" __global__ void dropout_apply(const float* x, float* y, long long n, float p, unsigned long long seed) {
            float scale = 1.0f / (1.0f - p);
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
                y[i] = dropout_uniform(seed, i) >= p ? x[i] * scale : 0.0f;
        }

        // out += sum_i x[i]^2 (out zeroed first); the global gradient norm for clipping is sqrt(out).
        extern "C" __global__ void sum_of_squares(const float* __restrict__ x, long long n, float* __restrict__ out) {
            float acc = 0.0f;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
                acc += x[i] * x[i];
            float total = block_sum(acc);
            if (threadIdx.x == 0) atomicAdd(out, total);
        }

        // torch.optim.Adam / AdamW (not amsgrad) over one flat buffer, the gradients first scaled by clip_grad_norm_'s factor,
        // which the host computes from the norm it read back (1 when not clipping; a non-finite norm never reaches here):
        //   g <- g * grad_scale
        //   p <- p * decay;  g <- g + l2 p                          (AdamW's decay = 1 - lr wd, Adam's l2 = wd; the other is 1 or 0)
        //   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
        //   p <- p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
        extern "C" __global__ void adam_step(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                                             float* __restrict__ v, long long n, float grad_scale,
                                             float step_size, float beta1, float beta2, float eps, float bias_correction2_sqrt,
                                             float l2, float decay) {
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
                float pi = p[i] * decay;
                float gi = g[i] * grad_scale + l2 * pi;
                float mi = beta1 * m[i] + (1.0f - beta1) * gi;
                float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] = pi - step_size * mi / (sqrtf(vi) / bias_correction2_sqrt + eps);
            }
        }

        """;
}
