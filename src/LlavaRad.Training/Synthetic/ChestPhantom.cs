namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Renders a frontal chest radiograph-like density map (0 = air/black, 1 = metal/white) with the given findings.
/// Coordinates: u, v in [-1, 1], u to the image right (= the patient's left), v downwards. Anatomy is deliberately
/// simple (body, lungs with vessel markings, ribs, clavicles, mediastinum, heart, diaphragm); the findings are
/// drawn the way they look on a film:
/// cardiomegaly = cardiothoracic width ratio above 0.55; effusion = basal fluid with a meniscus rising laterally
/// that blunts the costophrenic angle; pneumothorax = a thin pleural line with dark lung and no markings beyond it;
/// consolidation = a dense lobar blob; devices = radiopaque tube, line or pacemaker generator with leads.
/// </summary>
public sealed class ChestPhantom
{
    private const double LungCenterX = 0.36, LungHalfWidth = 0.26, LungCenterY = -0.06, LungHalfHeight = 0.58;

    private readonly SyntheticFindings _f;
    private readonly Severity _effusionSize;
    private readonly double _shiftX, _shiftY, _scale, _heartHalfWidth, _heartHalfHeight, _exposure;
    private readonly double _pneumothoraxDepth;
    private readonly (double X, double Y, double A, double B) _consolidation;
    private readonly List<(double X0, double Y0, double X1, double Y1, double Weight)> _vessels = [];

    public ChestPhantom(SyntheticFindings findings, Severity effusionSize, Random random)
    {
        _f = findings;
        _effusionSize = effusionSize;
        double Uniform(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        _shiftX = Uniform(-0.04, 0.04);
        _shiftY = Uniform(-0.04, 0.04);
        _scale = Uniform(0.93, 1.05);
        _exposure = Uniform(0.9, 1.1);
        // Cardiothoracic ratio = heart width / widest inner thorax (2 * (LungCenterX + LungHalfWidth)).
        var ratio = findings.Cardiomegaly ? Uniform(0.58, 0.68) : Uniform(0.38, 0.47);
        CardiothoracicRatio = ratio;
        _heartHalfWidth = ratio * (LungCenterX + LungHalfWidth);
        _heartHalfHeight = findings.Cardiomegaly ? Uniform(0.25, 0.29) : Uniform(0.20, 0.24);
        _pneumothoraxDepth = Uniform(0.22, 0.34);
        var (cx, cy) = findings.Consolidation switch
        {
            ConsolidationSite.RightLowerLobe => (-0.36, 0.18),
            ConsolidationSite.LeftLowerLobe => (0.40, 0.20),
            _ => (-0.34, -0.32),
        };
        _consolidation = (cx + Uniform(-0.04, 0.04), cy + Uniform(-0.04, 0.04), Uniform(0.12, 0.17), Uniform(0.10, 0.14));
        foreach (var side in new[] { -1, 1 })
            for (var i = 0; i < 14; i++)
            {
                var angle = Uniform(-1.2, 1.3); // radians from horizontal, towards the lateral side; positive = down
                var length = Uniform(0.18, 0.42);
                var (hx, hy) = (side * 0.15, -0.02 + Uniform(-0.06, 0.06));
                _vessels.Add((hx, hy, hx + side * length * Math.Cos(angle), hy + length * Math.Sin(angle), Uniform(0.05, 0.09)));
            }
    }

    public double CardiothoracicRatio { get; }

    /// <summary>Density per pixel, row-major, with mild noise and blur.</summary>
    public double[] Render(int width, int height, Random random)
    {
        var d = new double[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var u = ((x + 0.5) / width * 2 - 1 - _shiftX) / _scale;
                var v = ((y + 0.5) / height * 2 - 1 - _shiftY) / _scale;
                d[y * width + x] = Density(u, v);
            }
        var blurred = Blur3(d, width, height);
        for (var i = 0; i < blurred.Length; i++)
        {
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            blurred[i] = Math.Clamp(blurred[i] * _exposure + 0.012 * noise, 0, 1);
        }
        return blurred;
    }

    private double Density(double u, double v)
    {
        const double bodyHalfWidth = 0.86;
        if (Math.Abs(u) > bodyHalfWidth || v < -1.2) return 0.03;
        var d = 0.40 + 0.06 * Math.Sqrt(1 - Math.Pow(u / bodyHalfWidth, 2)); // soft tissue, thicker in the middle
        var side = u < 0 ? -1 : 1; // -1: the patient's right lung (image left)
        var lungR = LungRadius(u, v, side);
        var dome = DomeY(u, side);
        var inLung = lungR < 1 && v < dome;

        if (v >= dome) d = 0.48; // upper abdomen below the diaphragm
        var inHeart = Sq((u - 0.06) / _heartHalfWidth) + Sq((v - 0.15) / _heartHalfHeight) < 1;
        var inMediastinum = Math.Abs(u - 0.01) < 0.09 && v < 0.15;

        if (inLung && !inHeart && !inMediastinum)
        {
            d = 0.13;
            var pneumothorax = IsPneumothoraxSide(side) && lungR > 1 - _pneumothoraxDepth && v < 0.30;
            if (pneumothorax) d = 0.06;
            else d += Markings(u, v);
            if (IsPneumothoraxSide(side) && Math.Abs(lungR - (1 - _pneumothoraxDepth)) < 0.025 && v < 0.30) d = 0.30; // the visceral pleural line
            if (_f.Consolidation != ConsolidationSite.None && !pneumothorax)
            {
                var r = Sq((u - _consolidation.X) / _consolidation.A) + Sq((v - _consolidation.Y) / _consolidation.B);
                d += 0.30 * SmoothStep((1 - r) / 0.35);
            }
            d += Ribs(u, v);
        }
        if (inHeart || inMediastinum) d = 0.52;
        if (Math.Abs(u) < 0.05) d += 0.07; // spine through the mediastinum
        d += Clavicles(u, v);
        d = Effusion(u, v, side, lungR, dome, d);
        return Devices(u, v, d);
    }

    private static double LungRadius(double u, double v, int side)
    {
        var dx = (u - side * LungCenterX) / LungHalfWidth;
        var dy = (v - LungCenterY) / LungHalfHeight;
        return Math.Pow(Math.Pow(Math.Abs(dx), 2.4) + Math.Pow(Math.Abs(dy), 2.4), 1 / 2.4); // a squarish ellipse: sharp costophrenic angles
    }

    /// <summary>Top of the hemidiaphragm; the right one (image left) sits a little higher.</summary>
    private static double DomeY(double u, int side) =>
        0.50 - (side < 0 ? 0.04 : 0) - 0.16 * Math.Max(0, 1 - Sq((u - side * LungCenterX) / 0.30));

    private bool IsPneumothoraxSide(int side) =>
        (_f.Pneumothorax == Side.Right && side < 0) || (_f.Pneumothorax == Side.Left && side > 0);

    private bool IsEffusionSide(int side) =>
        _f.Effusion == Side.Both || (_f.Effusion == Side.Right && side < 0) || (_f.Effusion == Side.Left && side > 0);

    /// <summary>Fluid fills the base up to a meniscus that rises towards the chest wall, erasing the angle.</summary>
    private double Effusion(double u, double v, int side, double lungR, double dome, double d)
    {
        if (!IsEffusionSide(side) || lungR > 1.08) return d;
        var height = _effusionSize switch { Severity.Small => 0.18, Severity.Moderate => 0.28, _ => 0.40 };
        var lateral = Math.Clamp((side * u - 0.15) / (LungCenterX + LungHalfWidth - 0.15), 0, 1);
        var top = 0.46 - height - 0.5 * height * lateral * lateral;
        if (v < top || Math.Abs(u) < 0.1) return d;
        return Math.Max(d, 0.47 + 0.04 * SmoothStep((v - top) / 0.1));
    }

    private double Markings(double u, double v)
    {
        var sum = 0.0;
        foreach (var (x0, y0, x1, y1, w) in _vessels)
        {
            var (dist, t) = SegmentDistance(u, v, x0, y0, x1, y1);
            if (dist < 0.014) sum += w * (1 - 0.7 * t);
        }
        return Math.Min(sum, 0.14);
    }

    private static double Ribs(double u, double v)
    {
        for (var k = 0; k < 9; k++)
        {
            var y = -0.66 + 0.13 * k + 0.28 * u * u;
            if (Math.Abs(v - y) < 0.016) return 0.06;
        }
        return 0;
    }

    private static double Clavicles(double u, double v)
    {
        var (dist, _) = SegmentDistance(Math.Abs(u), v, 0.08, -0.66, 0.62, -0.76);
        return dist < 0.022 ? 0.12 : 0;
    }

    private double Devices(double u, double v, double d)
    {
        switch (_f.Device)
        {
            case SupportDevice.EndotrachealTube:
                if (Math.Abs(u - 0.01) < 0.022 && v > -1.2 && v < -0.42) return Math.Max(d, Math.Abs(u - 0.01) < 0.008 ? 0.95 : 0.62);
                break;
            case SupportDevice.CentralLine:
                if (NearPolyline(u, v, [(-0.50, -1.1), (-0.20, -0.74), (-0.06, -0.36)], 0.012)) return 0.9;
                break;
            case SupportDevice.Pacemaker:
                if (Math.Abs(u - 0.56) < 0.09 && Math.Abs(v + 0.62) < 0.06) return 0.97;
                if (NearPolyline(u, v, [(0.50, -0.60), (0.16, -0.44), (0.02, -0.08), (0.0, 0.26)], 0.009)) return 0.9;
                break;
        }
        return d;
    }

    private static bool NearPolyline(double u, double v, (double X, double Y)[] points, double radius)
    {
        for (var i = 0; i + 1 < points.Length; i++)
            if (SegmentDistance(u, v, points[i].X, points[i].Y, points[i + 1].X, points[i + 1].Y).Distance < radius) return true;
        return false;
    }

    private static (double Distance, double T) SegmentDistance(double u, double v, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0;
        var t = Math.Clamp(((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy), 0, 1);
        return (Math.Sqrt(Sq(u - x0 - t * dx) + Sq(v - y0 - t * dy)), t);
    }

    private static double[] Blur3(double[] d, int width, int height)
    {
        var output = new double[d.Length];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                double sum = 0, weight = 0;
                for (var j = -1; j <= 1; j++)
                    for (var i = -1; i <= 1; i++)
                    {
                        int xx = x + i, yy = y + j;
                        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                        var w = (i == 0 ? 2 : 1) * (j == 0 ? 2 : 1);
                        sum += w * d[yy * width + xx];
                        weight += w;
                    }
                output[y * width + x] = sum / weight;
            }
        return output;
    }

    private static double SmoothStep(double t) { t = Math.Clamp(t, 0, 1); return t * t * (3 - 2 * t); }

    private static double Sq(double x) => x * x;
}
