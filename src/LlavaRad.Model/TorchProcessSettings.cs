using System.Runtime.InteropServices;

namespace LlavaRad.Model;

/// <summary>
/// Process-wide settings libtorch's OpenMP runtime (libgomp) reads once, when libtorch loads; call
/// <see cref="ApplyBeforeTorchLoads"/> first thing in every entry point that runs the model.
/// Why: by default libgomp's idle team threads spin (about 300,000 rounds) after every parallel region. On a loaded
/// machine the spinning threads take the cores from the thread that issues the next op, and a generation ran about
/// 10x slower (bench `contention`); libgomp throttles the spin only while it manages more threads than there are
/// cores, which is why a generation on a second thread seemed immune. PASSIVE makes idle threads sleep at once.
/// </summary>
public static class TorchProcessSettings
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    public const string SpinCountVariable = "GOMP_SPINCOUNT";
    public const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the native environment unless the operator set OMP_WAIT_POLICY or GOMP_SPINCOUNT
    /// (their choice wins). Must run before the first TorchSharp call; later it has no effect. Linux only (libgomp).
    /// </summary>
    public static void ApplyBeforeTorchLoads()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (NativeValue(WaitPolicyVariable) is not null || NativeValue(SpinCountVariable) is not null) return;
        // .NET keeps its own copy of the environment on Unix; libgomp reads libc's, so set it there (and in ours).
        if (setenv(WaitPolicyVariable, DefaultWaitPolicy, overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv({WaitPolicyVariable}) failed: errno {Marshal.GetLastPInvokeError()}");
        Environment.SetEnvironmentVariable(WaitPolicyVariable, DefaultWaitPolicy);
    }

    /// <summary>The value libc's getenv sees, which is what libgomp reads.</summary>
    public static string? NativeValue(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [DllImport("libc.so.6", SetLastError = true)] // glibc; "libc" alone sends .NET probing through the libc.so linker script
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc.so.6")]
    private static extern IntPtr getenv(string name);
}
