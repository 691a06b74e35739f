using System.Security.Cryptography;
using System.Text;

namespace LlavaRad.Worker.Telemetry;

/// <summary>
/// A StudyInstanceUID names one patient's study and often embeds the site's root, dates or accession numbers,
/// so logs and listings show a short SHA-256 prefix instead: enough to match two lines, not to find the patient.
/// </summary>
public static class StudyUidHash
{
    public static string Short(string studyInstanceUid) =>
        "s:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(studyInstanceUid)))[..12];
}
