namespace TextGen.Cuda;
/// <summary>Entry point of the CUDA backend.</summary>
public static class CudaBackend { }
