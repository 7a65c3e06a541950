using BenchmarkDotNet.Running;

namespace Tally.Benchmarks;

internal static class Program
{
    // `dotnet run -c Release --project bench/Tally.Benchmarks -- --filter '*' --job short`
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
