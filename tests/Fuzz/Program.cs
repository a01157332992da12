using AppMsg.Fuzz;

// afl-fuzz starts this once per target and feeds it inputs in persistent mode: afl-fuzz ... -- dotnet AppMsg.Fuzz.dll <target>.
// An exception escaping the target is a crash (afl-fuzz saves the input). "--seeds <dir>" writes the starting inputs.
if (args is ["--seeds", var directory])
{
    FuzzSeedCorpus.WriteAll(directory);
    return 0;
}

if (args.Length != 1 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: AppMsg.Fuzz <target> | --seeds <dir>; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

var input = new MemoryStream();
SharpFuzz.Fuzzer.Run(stream =>
{
    input.SetLength(0);
    stream.CopyTo(input);
    target(input.GetBuffer().AsSpan(0, (int)input.Length));
});
return 0;
