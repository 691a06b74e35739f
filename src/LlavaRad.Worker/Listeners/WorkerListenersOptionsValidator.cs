using System.Net;
using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Listeners;

/// <summary>Both listeners' settings: an IP address, a port, readable TLS files, client certificates only with TLS and a CA.</summary>
public sealed class WorkerListenersOptionsValidator : SettingsValidator<WorkerListenersOptions>
{
    protected override void Check(WorkerListenersOptions options, SettingProblems problems)
    {
        Check($"{WorkerListenersOptions.Section}:Notifications", options.Notifications, problems);
        Check($"{WorkerListenersOptions.Section}:Operations", options.Operations, problems);
        problems.When(options.Notifications.Port != 0 && options.Notifications.Port == options.Operations.Port
                      && options.Notifications.Address == options.Operations.Address,
            $"{WorkerListenersOptions.Section}:Notifications and :Operations must not share an address and port");
    }

    private static void Check(string s, ListenerOptions listener, SettingProblems problems)
    {
        problems.When(!IPAddress.TryParse(listener.Address, out _), $"{s}:Address must be an IP address such as 127.0.0.1 or 0.0.0.0 (got \"{listener.Address}\")");
        problems.When(listener.Port is < 0 or > 65535, $"{s}:Port must be between 0 and 65535 (got {listener.Port})");
        if (listener.Tls)
        {
            File(problems, $"{s}:CertificatePath", listener.CertificatePath);
            if (listener.KeyPath.Length > 0) File(problems, $"{s}:KeyPath", listener.KeyPath);
            problems.Positive($"{s}:HandshakeTimeout", listener.HandshakeTimeout);
        }
        else
        {
            problems.When(listener.KeyPath.Length > 0, $"{s}:KeyPath is set but {s}:CertificatePath is not");
        }
        if (listener.ClientCertificateMode == ClientCertificates.None) return;
        problems.When(!listener.Tls, $"{s}:ClientCertificateMode {listener.ClientCertificateMode} needs TLS: set {s}:CertificatePath");
        if (listener.ClientCaPath.Length == 0) problems.Add($"{s}:ClientCertificateMode {listener.ClientCertificateMode} needs {s}:ClientCaPath (the CA client certificates must chain to)");
        else File(problems, $"{s}:ClientCaPath", listener.ClientCaPath);
    }

    private static void File(SettingProblems problems, string setting, string path) =>
        problems.When(!System.IO.File.Exists(path), $"{setting} \"{path}\" does not exist or cannot be read");
}
