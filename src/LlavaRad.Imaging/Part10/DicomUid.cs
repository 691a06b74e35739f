namespace LlavaRad.Imaging.Part10;

/// <summary>UID syntax (PS3.5 9.1): at most 64 characters, digits in dot-separated components, no leading zeros.</summary>
public static class DicomUid
{
    public static bool IsValid(string uid)
    {
        if (uid.Length is 0 or > 64) return false;
        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0 || !component.All(char.IsAsciiDigit)) return false;
            if (component.Length > 1 && component[0] == '0') return false;
        }
        return true;
    }
}
