// TorchSharp really loads in the test process (on Debian 12 through the compatibility copy), and the ELF edit
// behind that copy changes exactly one flag. Where the shipped file loads as it is, the tests assert that instead.
using System.Runtime.InteropServices;
using TextGen.TorchSharp;
using TorchSharp;
using Xunit;

namespace TextGen.Tests.TorchSharp;

public class TorchSharpLoadTests
{
    private static string ShippedLibrary()
    {
        string bin = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(bin) ? bin : Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
    }

    public TorchSharpLoadTests() => TorchSharpRuntime.EnsureLoaded();

    /// <summary>Whether the system's libstdc++ exports the one GLIBCXX_3.4.32 symbol the shipped file needs (GCC 13's runtime).</summary>
    private static bool SystemHasGcc13Runtime() =>
        NativeLibrary.TryLoad("libstdc++.so.6", out var std) && NativeLibrary.TryGetExport(std, "_ZSt21ios_base_library_initv", out _);

    [Fact]
    public void TorchSharp_loads_and_computes_on_this_machine()
    {
        var how = TorchSharpRuntime.EnsureLoaded();
        using var x = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);
        using var total = x.sum();
        Assert.Equal(15f, total.item<float>());
        // Debian 12 (these machines and CI) needs the copy; Ubuntu 24.04 and Debian 13 load the shipped file.
        Assert.Equal(SystemHasGcc13Runtime() ? TorchSharpLoad.AsShipped : TorchSharpLoad.CompatibilityCopy, how);
    }

    [Fact]
    public void Shipped_library_needs_glibcxx_3_4_32_and_the_edit_makes_only_that_need_weak()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("libLibTorchSharp.so, the ELF file this reads, ships only in Linux builds");
        byte[] bytes = File.ReadAllBytes(ShippedLibrary());
        var before = ElfVersionNeeds.Read(bytes);
        Assert.Contains(new ElfVersionNeed("libstdc++.so.6", "GLIBCXX_3.4.32", Weak: false), before);
        Assert.DoesNotContain(before, n => n.Weak);

        byte[] edited = (byte[])bytes.Clone();
        Assert.True(ElfVersionNeeds.MarkWeak(edited, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        var after = ElfVersionNeeds.Read(edited);
        Assert.Equal(before.Select(n => n with { Weak = n.Version == "GLIBCXX_3.4.32" }), after);
        Assert.Equal(1, bytes.Zip(edited).Count(p => p.First != p.Second)); // one byte of one flag field
    }

    [Fact]
    public void Shipped_library_loads_exactly_where_the_system_has_glibcxx_3_4_32_and_fails_only_for_want_of_it_elsewhere()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("libLibTorchSharp.so and its GLIBCXX_3.4.32 need exist only in Linux builds");
        if (SystemHasGcc13Runtime())
        {
            // Ubuntu 24.04, Debian 13: the file as shipped loads, and the runtime took it rather than the copy.
            Assert.True(NativeLibrary.TryLoad(ShippedLibrary(), out _), "the system has GLIBCXX_3.4.32, yet the shipped file does not load");
            Assert.Equal(TorchSharpLoad.AsShipped, TorchSharpRuntime.EnsureLoaded());
        }
        else
        {
            // Debian 12 (these machines and CI): the shipped file fails, for that one version need and nothing else.
            var e = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(ShippedLibrary()));
            Assert.Contains("version `GLIBCXX_3.4.32' not found", e.Message);
        }
    }

    [Fact]
    public void Doctor_line_says_how_torchsharp_loaded()
    {
        string line = TorchSharpRuntime.Summary();
        Assert.StartsWith("TorchSharp 0.107.0: loads ", line);
        Assert.Contains(TorchSharpRuntime.EnsureLoaded() == TorchSharpLoad.AsShipped ? "as shipped" : "compatibility copy", line);
    }

    [Fact]
    public void A_load_failure_reads_as_one_line_with_cause_and_fix()
    {
        string message = TorchSharpRuntime.UnavailableMessage("/x/libLibTorchSharp.so: cannot open shared object file\nlibtorch.so: No such file or directory.");
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("TorchSharp cannot load: /x/libLibTorchSharp.so: cannot open shared object file libtorch.so: No such file or directory. Fix: ", message);
        Assert.Contains("--engine textgen", message);
    }
}
