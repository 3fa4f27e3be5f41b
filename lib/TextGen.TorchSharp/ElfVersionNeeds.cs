// Reads and edits the version needs (.gnu.version_r) of a 64-bit little-endian ELF shared object:
// which symbol versions it asks of which library, and marking one of them weak so that a loader that lacks it goes on.
using System.Buffers.Binary;
using System.Text;

namespace TextGen.TorchSharp;

/// <summary>One symbol version an ELF object needs from a library, e.g. GLIBCXX_3.4.32 from libstdc++.so.6.</summary>
public sealed record ElfVersionNeed(string Library, string Version, bool Weak);

/// <summary>The version needs of an ELF64 little-endian shared object, and the one edit the TorchSharp loader makes to them.</summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2; // glibc's ld.so reports a missing weak version and loads the object anyway

    /// <summary>Every (library, version) pair the object's version-needs section lists.</summary>
    public static IReadOnlyList<ElfVersionNeed> Read(ReadOnlySpan<byte> elf)
    {
        var needs = new List<ElfVersionNeed>();
        foreach (var (lib, version, flags) in Entries(elf))
            needs.Add(new ElfVersionNeed(lib, version, (BinaryPrimitives.ReadUInt16LittleEndian(elf[flags..]) & VerFlagWeak) != 0));
        return needs;
    }

    /// <summary>
    /// Marks <paramref name="version"/> needed from <paramref name="library"/> weak, in place; returns whether it was found.
    /// </summary>
    /// <remarks>
    /// Only the flag changes: the symbols that name the version keep it, so a libstdc++ that has it still binds them to it.
    /// This is safe only for a version that no relocation uses (<c>readelf -r</c> shows none for the one TorchSharp needs).
    /// </remarks>
    public static bool MarkWeak(Span<byte> elf, string library, string version)
    {
        bool found = false;
        foreach (var (lib, v, o) in Entries(elf))
        {
            if (lib != library || v != version) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf[o..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(elf[o..]) | VerFlagWeak));
            found = true;
        }
        return found;
    }

    // (library, version, offset of the vna_flags field) for every Vernaux entry of the Verneed section.
    private static List<(string Library, string Version, int FlagsOffset)> Entries(ReadOnlySpan<byte> elf)
    {
        var entries = new List<(string, string, int)>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(elf[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]), shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (int s = 0; s < shnum; s++)
        {
            var sh = elf.Slice(checked((int)(shoff + (long)s * shentsize)), shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            int offset = checked((int)BinaryPrimitives.ReadInt64LittleEndian(sh[0x18..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]), count = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            var strtabHeader = elf.Slice(checked((int)(shoff + (long)link * shentsize)), shentsize);
            int strtab = checked((int)BinaryPrimitives.ReadInt64LittleEndian(strtabHeader[0x18..]));
            int need = offset;
            for (int n = 0; n < count; n++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                string lib = CString(elf, strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    entries.Add((lib, CString(elf, strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..])), aux + 4));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }
        return entries;
    }

    private static string CString(ReadOnlySpan<byte> bytes, int start)
    {
        int end = bytes[start..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(bytes.Slice(start, end));
    }
}
