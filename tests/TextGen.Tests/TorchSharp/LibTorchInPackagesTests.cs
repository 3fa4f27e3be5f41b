// Where a notebook's #r loads TorchSharp from NuGet's cache, libtorch is found in its own package by path.
using TextGen.TorchSharp;
using Xunit;

namespace TextGen.Tests.TorchSharp;

public sealed class LibTorchInPackagesTests : IDisposable
{
    private readonly string packages = Directory.CreateTempSubdirectory("textgen-packages-").FullName;

    public void Dispose() => Directory.Delete(packages, recursive: true);

    private string TorchSharpLib() => Directory.CreateDirectory(Path.Combine(packages, "torchsharp", "0.107.0", "lib", "net8.0")).FullName;

    private string PlantLibTorch(string version)
    {
        string native = Directory.CreateDirectory(Path.Combine(packages, "libtorch-cpu-linux-x64", version, "runtimes", "linux-x64", "native")).FullName;
        string file = Path.Combine(native, "libtorch.so");
        File.WriteAllText(file, "");
        return file;
    }

    [Fact]
    public void The_newest_libtorch_package_beside_torchsharp_is_found_by_its_version_not_its_name()
    {
        PlantLibTorch("2.9.1");
        string newest = PlantLibTorch("2.10.0");
        Assert.Equal(newest, TorchSharpRuntime.LibTorchInPackages(TorchSharpLib()));
    }

    [Fact]
    public void A_package_folder_without_the_library_or_without_libtorch_gives_null()
    {
        string lib = TorchSharpLib();
        Assert.Null(TorchSharpRuntime.LibTorchInPackages(lib));
        Directory.CreateDirectory(Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0"));
        Assert.Null(TorchSharpRuntime.LibTorchInPackages(lib));
    }
}
