using System.Globalization;
using LlavaRad.Imaging;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Stages 2-4 done: the chosen image as 8-bit grayscale, and the few DICOM facts the write-back needs when the EHR
/// has no ImagingStudy for the study (acquisition time, the patient's ID for a conditional reference).
/// </summary>
/// <param name="Description">What was chosen, for operators: a file name or series/instance numbers, never patient data.</param>
/// <param name="Source">The chosen image's attributes: the SR and HL7 exports copy the Patient and Study modules from them.</param>
public sealed record FrontalImage(
    Gray8Image Image,
    string SopInstanceUid,
    string Description,
    DateTimeOffset? AcquiredAt,
    string? PatientId,
    IReadOnlyList<string> Steps,
    IDicomAttributes? Source = null)
{
    private const uint StudyTime = 0x00080030;
    private const uint TimezoneOffsetFromUtc = 0x00080201;

    public static DateTimeOffset? StudyStart(IDicomAttributes attributes)
    {
        var date = attributes.GetString(DicomTag.StudyDate);
        if (date is null || !DateTime.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return null;
        var time = attributes.GetString(StudyTime) ?? "";
        var digits = time.Split('.')[0];
        if (digits.Length >= 2 && int.TryParse(digits[..2], CultureInfo.InvariantCulture, out var h)) day = day.AddHours(h);
        if (digits.Length >= 4 && int.TryParse(digits[2..4], CultureInfo.InvariantCulture, out var m)) day = day.AddMinutes(m);
        if (digits.Length >= 6 && int.TryParse(digits[4..6], CultureInfo.InvariantCulture, out var s)) day = day.AddSeconds(s);
        var offset = TimeSpan.Zero;
        if (attributes.GetString(TimezoneOffsetFromUtc) is { Length: 5 } tz
            && int.TryParse(tz[1..3], CultureInfo.InvariantCulture, out var oh) && int.TryParse(tz[3..5], CultureInfo.InvariantCulture, out var om))
            offset = (tz[0] == '-' ? -1 : 1) * new TimeSpan(oh, om, 0);
        return new DateTimeOffset(day, offset);
    }
}

/// <summary>Stages 2-4: select the frontal chest image, fetch its pixels, convert them. Rejections are coded.</summary>
public interface IFrontalImageSource
{
    Task<FrontalImage> GetAsync(ResolvedStudy study, CancellationToken cancellationToken);
}
