namespace LlavaRad.Bench;

/// <summary>One benchmark: prints its time, a baseline measured in the same run, and their ratio.</summary>
public interface IBenchmark
{
    string Name { get; }
    int Run(string[] args);
}
