// The one exception type of the CUDA backend: a failed native call, named with the library's own error text,
// and the subclass thrown when the backend cannot be used at all on this machine.
namespace TextGen.Cuda.Interop;

/// <summary>A CUDA driver, NVRTC, cuBLAS or cuDNN call that returned an error status.</summary>
public class CudaException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> failing with <paramref name="status"/>.</summary>
    /// <param name="library">Which library answered (<c>CUDA driver</c>, <c>NVRTC</c>, <c>cuBLAS</c>, <c>cuDNN</c>).</param>
    /// <param name="call">The call as written in the source, so the message names the exact function.</param>
    /// <param name="status">The numeric status code the library returned.</param>
    /// <param name="errorText">The library's own name or description of the status.</param>
    public CudaException(string library, string call, int status, string errorText)
        : base($"{library} call {call} failed with status {status} ({errorText})")
    {
        Library = library;
        Call = call;
        Status = status;
        ErrorText = errorText;
    }

    /// <summary>Creates an exception with a message of its own (no single failed call to name).</summary>
    public CudaException(string message, Exception? inner = null) : base(message, inner)
    {
        Library = "";
        Call = "";
        ErrorText = message;
    }

    /// <summary>Which library answered the call.</summary>
    public string Library { get; }

    /// <summary>The failed call as written in the source.</summary>
    public string Call { get; }

    /// <summary>The library's status code (0 means success, so never 0 here).</summary>
    public int Status { get; }

    /// <summary>The library's text for <see cref="Status"/>.</summary>
    public string ErrorText { get; }
}

/// <summary>Thrown when CUDA was asked for but this machine lacks something it needs (driver, GPU, library).</summary>
public sealed class CudaUnavailableException : CudaException
{
    /// <summary>Creates the exception with a message naming what is missing and how to fix it.</summary>
    public CudaUnavailableException(string message) : base(message) { }
}
