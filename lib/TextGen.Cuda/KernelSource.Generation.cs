// CUDA C source of batch-1 generation: one launch per layer advances the recurrent state by one token, and one launch
// turns the top layer's state into the next token's logits, which the host reads back and samples from.
namespace TextGen.Cuda;

internal static partial class KernelSource
{
    /// <summary>Kernels of one generation step.</summary>
    public const string Generation = """
        // One warp per hidden unit: the unit's gate pre-activations from x and h_prev in PyTorch's layout
        // (weight_ih (G*H, in), weight_hh (G*H, H)), then the cell update. mode follows cudnnRNNMode_t:
        // 0 RNN relu, 1 RNN tanh, 2 LSTM (gates i, f, g, o; c updated in place), 3 GRU (gates r, z, n).
        // Layer 0 reads its input row from the embedding table at seq[step]; other layers get x = h of the layer below.
        // h_prev and h_next are distinct buffers (other warps still read h_prev while this one writes).
        extern "C" __global__ void rnn_cell_step(int mode, const float* __restrict__ w_ih, const float* __restrict__ w_hh,
                                                 const float* __restrict__ b_ih, const float* __restrict__ b_hh,
                                                 const float* __restrict__ x, const int* __restrict__ seq, int step, int in_dim,
                                                 const float* __restrict__ h_prev, float* __restrict__ h_next,
                                                 float* __restrict__ c, int hidden) {
            int lane = threadIdx.x & 31;
            int unit = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
            if (unit >= hidden) return;
            const float* xin = seq != nullptr ? x + (long long)seq[step] * in_dim : x;
            int gates = mode == 2 ? 4 : (mode == 3 ? 3 : 1);
            float gi[4], gh[4];
            #pragma unroll
            for (int g = 0; g < 4; g++) {
                gi[g] = 0.0f;
                gh[g] = 0.0f;
                if (g < gates) {
                    long long row = (long long)g * hidden + unit;
                    const float* wi = w_ih + row * in_dim;
                    const float* wh = w_hh + row * hidden;
                    float a = 0.0f, b = 0.0f;
                    for (int k = lane; k < in_dim; k += 32) a += wi[k] * xin[k];
                    for (int k = lane; k < hidden; k += 32) b += wh[k] * h_prev[k];
                    gi[g] = warp_sum(a) + b_ih[row];
                    gh[g] = warp_sum(b) + b_hh[row];
                }
            }
            if (lane != 0) return;
            float h;
            if (mode == 0) {
                h = fmaxf(gi[0] + gh[0], 0.0f);
            } else if (mode == 1) {
                h = tanhf(gi[0] + gh[0]);
            } else if (mode == 2) {
                float i = sigmoidf(gi[0] + gh[0]), f = sigmoidf(gi[1] + gh[1]);
                float g = tanhf(gi[2] + gh[2]), o = sigmoidf(gi[3] + gh[3]);
                float cn = f * c[unit] + i * g;
                c[unit] = cn;
                h = o * tanhf(cn);
            } else {
                float r = sigmoidf(gi[0] + gh[0]), z = sigmoidf(gi[1] + gh[1]);
                float n = tanhf(gi[2] + r * gh[2]);
                h = (1.0f - z) * n + z * h_prev[unit];
            }
            h_next[unit] = h;
        }

        // One block: logits = W h + b, W being decoder.weight (classes, hidden) and h the top layer's state; one warp per class.
        // Sampling happens on the host, through the library's LogitsSampler, so that every decoding strategy works on the GPU too.
        extern "C" __global__ void decode_logits(const float* __restrict__ w, const float* __restrict__ b,
                                                 const float* __restrict__ h, int hidden, int classes, float* __restrict__ logits) {
            int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
            for (int j = warp; j < classes; j += warps) {
                const float* row = w + (long long)j * hidden;
                float a = 0.0f;
                for (int k = lane; k < hidden; k += 32) a += row[k] * h[k];
                a = warp_sum(a);
                if (lane == 0) logits[j] = a + b[j];
            }
        }

        """;
}
