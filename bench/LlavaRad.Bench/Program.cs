using LlavaRad.Bench;

var name = args.FirstOrDefault() ?? "weights-hash";
var benchmarks = new Dictionary<string, Func<string[], int>>
{
    ["weights-hash"] = WeightsHashBenchmark.Run,
};
if (!benchmarks.TryGetValue(name, out var run))
{
    Console.Error.WriteLine($"unknown benchmark \"{name}\"; known: {string.Join(", ", benchmarks.Keys)}");
    return 2;
}
return run(args.Skip(1).ToArray());
