using System.Runtime.InteropServices;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// Gives the whole pages of a native buffer that is done with back to the kernel before the buffer is freed
/// (Linux madvise MADV_DONTNEED: the memory stays mapped, and would read as zeros). Only pages entirely inside the
/// range are given back, so the allocator's bookkeeping around the buffer is never touched.
/// </summary>
internal static unsafe class PageRelease
{
    private const int DontNeed = 4;

    [DllImport("libc.so.6", EntryPoint = "madvise")] // glibc (Debian); "libc" alone sends .NET probing through the libc.so linker script
    private static extern int Madvise(void* address, nuint length, int advice);

    public static void Release<T>(ReadOnlySpan<T> done) where T : unmanaged
    {
        if (!OperatingSystem.IsLinux() || done.IsEmpty) return;
        var page = (nuint)Environment.SystemPageSize;
        fixed (T* start = done)
        {
            var first = ((nuint)start + page - 1) & ~(page - 1);
            var end = ((nuint)start + (nuint)(done.Length * sizeof(T))) & ~(page - 1);
            if (end > first) _ = Madvise((void*)first, end - first, DontNeed); // advice only: a refusal changes nothing
        }
    }
}
