// Compiles the embedded CUDA C source with NVRTC for the device's own architecture (a cubin, so the driver has no
// PTX to JIT), loads it once per process and exposes each kernel's function handle.
using System.Text;
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>The backend's compiled kernels, loaded into the current context.</summary>
internal sealed unsafe class CudaKernels
{
    private CudaKernels(ICudaApi api, IntPtr module)
    {
        IntPtr Get(string name) => api.cuModuleGetFunction(module, name);
        EmbeddingForward = Get("embedding_forward");
        EmbeddingBackward = Get("embedding_backward");
        CrossEntropy = Get("cross_entropy_forward_backward");
        BiasBackward = Get("bias_backward");
        Dropout = Get("dropout_apply");
        SumOfSquares = Get("sum_of_squares");
        AdamStep = Get("adam_step");
        RnnCellStep = Get("rnn_cell_step");
        DecodeLogits = Get("decode_logits");
    }

    /// <summary>Every kernel name the source defines, for checks that the source compiled whole.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["embedding_forward", "embedding_backward", "cross_entropy_forward_backward", "bias_backward", "dropout_apply", "sum_of_squares", "adam_step", "rnn_cell_step", "decode_logits"];

    public IntPtr EmbeddingForward { get; }
    public IntPtr EmbeddingBackward { get; }
    public IntPtr CrossEntropy { get; }
    public IntPtr BiasBackward { get; }
    public IntPtr Dropout { get; }
    public IntPtr SumOfSquares { get; }
    public IntPtr AdamStep { get; }
    public IntPtr RnnCellStep { get; }
    public IntPtr DecodeLogits { get; }

    /// <summary>The whole program as NVRTC sees it.</summary>
    public static string Source => KernelSource.Common + KernelSource.Training + KernelSource.Generation;

    /// <summary>Compiles and loads the kernels for a device of compute capability <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static CudaKernels Load(ICudaApi api, int major, int minor) => new(api, api.LoadKernels(Source, major, minor));

    /// <summary>Compiles <paramref name="source"/> to a cubin for <c>sm_{major}{minor}</c> with NVRTC; throws with NVRTC's log on a compile error.</summary>
    public static byte[] Compile(string source, int major, int minor)
    {
        Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out var program, source, "textgen_kernels.cu", 0, IntPtr.Zero, IntPtr.Zero));
        try
        {
            string[] options = [$"--gpu-architecture=sm_{major}{minor}", "--std=c++17"];
            int status = CompileWith(program, options);
            if (status != 0)
                throw new CudaException("NVRTC", "nvrtcCompileProgram", status, "kernel source did not compile:\n" + Log(program));
            Nvrtc.Check(Nvrtc.nvrtcGetCUBINSize(program, out var size));
            var cubin = new byte[(int)size];
            fixed (byte* p = cubin) Nvrtc.Check(Nvrtc.nvrtcGetCUBIN(program, p));
            return cubin;
        }
        finally
        {
            Nvrtc.nvrtcDestroyProgram(ref program);
        }
    }

    private static int CompileWith(IntPtr program, string[] options)
    {
        var encoded = options.Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
        var handles = encoded.Select(b => System.Runtime.InteropServices.GCHandle.Alloc(b, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            byte** pointers = stackalloc byte*[encoded.Length];
            for (int i = 0; i < encoded.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
            return Nvrtc.nvrtcCompileProgram(program, encoded.Length, pointers);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private static string Log(IntPtr program)
    {
        if (Nvrtc.nvrtcGetProgramLogSize(program, out var size) != 0 || size <= 1) return "(no log)";
        var log = new byte[(int)size];
        fixed (byte* p = log) Nvrtc.nvrtcGetProgramLog(program, p);
        return Encoding.ASCII.GetString(log).TrimEnd('\0');
    }
}
