// Looks for the driver, a GPU and the NVIDIA libraries without ever throwing, so that the CLI's doctor command,
// the notebooks' setup lesson and the backend itself can say exactly what is missing.
using TextGen.Cuda.Interop;
using TextGen.Tensors.Kernels;

namespace TextGen.Cuda;

/// <summary>Checks whether the CUDA backend can run on this machine.</summary>
public static class CudaProbe
{
    /// <summary>The oldest GPU generation the backend supports (Turing, 7.5): CUDA 13's NVRTC no longer compiles for sm_70 and sm_72.</summary>
    public static (int Major, int Minor) MinimumComputeCapability { get; } = (7, 5);

    private static readonly Lazy<CudaProbeReport> Cached = new(Check);

    /// <summary>The probe's result, computed once per process.</summary>
    public static CudaProbeReport Report => Cached.Value;

    /// <summary>Probes the driver, GPU 0 and each library; never throws.</summary>
    public static CudaProbeReport Check()
    {
        NativeLibraries.EnsureRegistered();
        var problems = new List<string>();
        var libraries = new List<CudaLibraryStatus>();
        bool driverFound = false;
        string? driverVersion = null, deviceName = null;
        int deviceCount = 0;
        (int, int)? capability = null;
        long memory = 0;

        var driver = Probe(NativeLibraries.Driver, () => { CuDriver.Check(CuDriver.cuDriverGetVersion(out int v)); return $"{v / 1000}.{v % 1000 / 10}"; });
        libraries.Add(driver);
        if (!driver.Found)
        {
            problems.Add($"no NVIDIA driver ({driver.Reason})");
        }
        else
        {
            try
            {
                CuDriver.Check(CuDriver.cuInit(0));
                driverFound = true;
                driverVersion = driver.Version;
                CuDriver.Check(CuDriver.cuDeviceGetCount(out deviceCount));
                if (deviceCount == 0) problems.Add("the driver sees no GPU");
                else (deviceName, capability, memory) = DescribeDevice(0);
            }
            catch (CudaException e)
            {
                problems.Add($"the NVIDIA driver failed to initialise ({e.ErrorText})");
            }
        }
        if (capability is { } cc && CapabilityProblem(cc, deviceName) is { } tooOld) problems.Add(tooOld);

        var nvrtc = Probe(NativeLibraries.Nvrtc, () => { Nvrtc.Check(Nvrtc.nvrtcVersion(out int a, out int b)); return $"{a}.{b}"; });
        var cublas = Probe(NativeLibraries.CuBlas, () => { int v = CuBlas.Version(); return $"{v / 10000}.{v / 100 % 100}.{v % 100}"; });
        var cudnn = Probe(NativeLibraries.CuDnn, () => { ulong v = CuDnn.cudnnGetVersion(); return $"{v / 10000}.{v / 100 % 100}.{v % 100}"; });
        libraries.AddRange([nvrtc, cublas, cudnn]);
        var set = NativeLibraries.Set;
        if (set is null && OperatingSystem.IsLinux())
            problems.Add($"no complete set of NVRTC, cuBLAS and cuDNN ({string.Join("; ", NativeLibraries.Rejected)})");
        else
            foreach (var lib in new[] { nvrtc, cublas, cudnn })
                if (!lib.Found) problems.Add($"no usable {string.Join("/", NativeLibraries.FileNamesOf(lib.Name))} ({lib.Reason})");

        return new CudaProbeReport(driverFound, driverVersion, deviceCount, deviceName, capability, memory, libraries, problems, set);
    }

    /// <summary>Why a GPU of compute capability <paramref name="capability"/> cannot run the engine, or null when it can.</summary>
    public static string? CapabilityProblem((int Major, int Minor) capability, string? deviceName) =>
        capability.CompareTo(MinimumComputeCapability) >= 0 ? null
            : $"compute capability {capability.Major}.{capability.Minor} of {deviceName ?? "GPU 0"} is too old: CUDA 13's NVRTC compiles for " +
              $"{MinimumComputeCapability.Major}.{MinimumComputeCapability.Minor} (Turing) or newer";

    private static unsafe (string Name, (int, int) Capability, long Memory) DescribeDevice(int ordinal)
    {
        CuDriver.Check(CuDriver.cuDeviceGet(out int device, ordinal));
        byte* name = stackalloc byte[256];
        CuDriver.Check(CuDriver.cuDeviceGetName(name, 256, device));
        CuDriver.Check(CuDriver.cuDeviceGetAttribute(out int major, CuDriver.AttributeComputeCapabilityMajor, device));
        CuDriver.Check(CuDriver.cuDeviceGetAttribute(out int minor, CuDriver.AttributeComputeCapabilityMinor, device));
        CuDriver.Check(CuDriver.cuDeviceTotalMem(out nuint bytes, device));
        var text = System.Runtime.InteropServices.Marshal.PtrToStringAnsi((IntPtr)name) ?? "?";
        return (text, (major, minor), (long)bytes);
    }

    private static CudaLibraryStatus Probe(string name, Func<string> version)
    {
        if (!NativeLibraries.TryLoad(name, out _, out var pathOrReason))
            return new CudaLibraryStatus(name, false, null, null, pathOrReason);
        try
        {
            return new CudaLibraryStatus(name, true, pathOrReason, version(), null);
        }
        catch (Exception e) when (e is CudaException or EntryPointNotFoundException or DllNotFoundException)
        {
            return new CudaLibraryStatus(name, false, pathOrReason, null, $"loaded but unusable: {e.Message}");
        }
    }
}
