// Matrix-vector products on row-major weights, for the one- and two-row products of GemmSmallRows: every
// weight is read once for two flops, so four rows share each load of x. Generation packs its weights
// instead (PackedMatrix), which needs no horizontal sums.
using System.Runtime.Intrinsics;

namespace TextGen.Tensors.Kernels;

/// <summary>y = W x on the CPU, vectorised, on the calling thread.</summary>
internal static unsafe class MatrixVector
{
    /// <summary>y = W x on the calling thread, for callers that already split their work.</summary>
    public static void MultiplyOnThisThread(float* w, float* x, float* y, int rows, int cols) => Rows(w, x, y, cols, 0, rows);

    private static void Rows(float* w, float* x, float* y, int n, int r0, int r1)
    {
        int r = r0;
        for (; r + 4 <= r1; r += 4)
        {
            float* w0 = w + (long)r * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            int j = 0;
            for (; j + 8 <= n; j += 8)
            {
                var xv = Vector256.Load(x + j);
                a0 += Vector256.Load(w0 + j) * xv;
                a1 += Vector256.Load(w1 + j) * xv;
                a2 += Vector256.Load(w2 + j) * xv;
                a3 += Vector256.Load(w3 + j) * xv;
            }
            float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
            for (; j < n; j++)
            {
                s0 += w0[j] * x[j]; s1 += w1[j] * x[j]; s2 += w2[j] * x[j]; s3 += w3[j] * x[j];
            }
            y[r] = s0; y[r + 1] = s1; y[r + 2] = s2; y[r + 3] = s3;
        }
        for (; r < r1; r++)
        {
            float* wr = w + (long)r * n;
            Vector256<float> a = default;
            int j = 0;
            for (; j + 8 <= n; j += 8) a += Vector256.Load(wr + j) * Vector256.Load(x + j);
            float s = Vector256.Sum(a);
            for (; j < n; j++) s += wr[j] * x[j];
            y[r] = s;
        }
    }
}
