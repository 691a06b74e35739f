using LlavaRad.Bench;
using LlavaRad.Model;

TorchProcessSettings.ApplyBeforeTorchLoads(); // as the node and the CLI do

// Every IBenchmark in this assembly, by name.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .ToDictionary(b => b.Name, StringComparer.Ordinal);
var name = args.FirstOrDefault();
if (name is null || !benchmarks.TryGetValue(name, out var benchmark))
{
    Console.Error.WriteLine($"usage: LlavaRad.Bench NAME [args]; known: {string.Join(", ", benchmarks.Keys.Order())}");
    return 2;
}
return benchmark.Run(args[1..]);
