using System.Buffers.Binary;
using System.Text;

namespace LlavaRad.CheXbert.Checkpoints;

/// <summary>A pickled global (module.name) that is never imported, only recognised by name.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>global(*args) as pickled, kept as data; the reader turns the ones it knows into tensors.</summary>
internal sealed record PickleCall(PickleGlobal Function, object?[] Arguments);

/// <summary>
/// The part of Python's pickle virtual machine that torch.save uses (protocols 2 to 4), without executing anything:
/// globals stay names, calls stay <see cref="PickleCall"/> records, dicts become ordered lists of entries.
/// Written here rather than taken from Razorvine.Pickle because its constructors are one process-wide table that
/// TorchSharp.PyBridge already fills with its own tensor builders.
/// </summary>
internal sealed class PickleMachine(Stream stream, Func<object?[], object?> persistentLoad)
{
    private static readonly object Mark = new();
    private readonly List<object?> _stack = [];
    private readonly Dictionary<long, object?> _memo = [];
    private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);

    public object? Load()
    {
        while (true)
        {
            var op = _reader.ReadByte();
            switch (op)
            {
                case 0x80: _reader.ReadByte(); break;                                   // PROTO
                case 0x95: _reader.ReadInt64(); break;                                  // FRAME
                case (byte)'.': return Pop();                                           // STOP
                case (byte)'(': _stack.Add(Mark); break;                                // MARK
                case (byte)'0': Pop(); break;                                           // POP
                case (byte)'1': PopToMark(); break;                                     // POP_MARK
                case (byte)'2': _stack.Add(_stack[^1]); break;                          // DUP
                case (byte)'N': _stack.Add(null); break;
                case 0x88: _stack.Add(true); break;
                case 0x89: _stack.Add(false); break;
                case (byte)'J': _stack.Add((long)_reader.ReadInt32()); break;          // BININT
                case (byte)'K': _stack.Add((long)_reader.ReadByte()); break;           // BININT1
                case (byte)'M': _stack.Add((long)_reader.ReadUInt16()); break;         // BININT2
                case 0x8A: _stack.Add(Long(_reader.ReadBytes(_reader.ReadByte()))); break; // LONG1
                case (byte)'G': _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(_reader.ReadBytes(8))); break;
                case (byte)'X': _stack.Add(Text(_reader.ReadInt32())); break;          // BINUNICODE
                case 0x8C: _stack.Add(Text(_reader.ReadByte())); break;                // SHORT_BINUNICODE
                case (byte)'T': _stack.Add(Latin1(_reader.ReadInt32())); break;        // BINSTRING
                case (byte)'U': _stack.Add(Latin1(_reader.ReadByte())); break;         // SHORT_BINSTRING
                case (byte)'B': _stack.Add(_reader.ReadBytes(_reader.ReadInt32())); break;
                case (byte)'C': _stack.Add(_reader.ReadBytes(_reader.ReadByte())); break;
                case (byte)')': _stack.Add(Array.Empty<object?>()); break;             // EMPTY_TUPLE
                case (byte)'t': _stack.Add(PopToMark().ToArray()); break;              // TUPLE
                case 0x85: _stack.Add(Take(1)); break;
                case 0x86: _stack.Add(Take(2)); break;
                case 0x87: _stack.Add(Take(3)); break;
                case (byte)']': _stack.Add(new List<object?>()); break;                // EMPTY_LIST
                case (byte)'a': { var item = Pop(); ((List<object?>)_stack[^1]!).Add(item); break; }
                case (byte)'e': { var items = PopToMark(); ((List<object?>)_stack[^1]!).AddRange(items); break; }
                case (byte)'}': _stack.Add(new PickleDict()); break;                   // EMPTY_DICT
                case (byte)'s': { var value = Pop(); var key = Pop(); ((PickleDict)_stack[^1]!).Add(key, value); break; }
                case (byte)'u': SetItems(PopToMark()); break;
                case 0x8F: _stack.Add(new List<object?>()); break;                     // EMPTY_SET, kept as a list
                case 0x90: { var items = PopToMark(); ((List<object?>)_stack[^1]!).AddRange(items); break; }
                case 0x91: _stack.Add(PopToMark()); break;                             // FROZENSET
                case (byte)'c': _stack.Add(new PickleGlobal(Line(), Line())); break;   // GLOBAL
                case 0x93: { var name = (string)Pop()!; _stack.Add(new PickleGlobal((string)Pop()!, name)); break; }
                case (byte)'R' or 0x81: Call(); break;                                 // REDUCE, NEWOBJ
                case (byte)'b': Pop(); break;                                          // BUILD: instance state is not needed
                case (byte)'Q': _stack.Add(persistentLoad(AsTuple(Pop()))); break;     // BINPERSID
                case (byte)'q': _memo[_reader.ReadByte()] = _stack[^1]; break;        // BINPUT
                case (byte)'r': _memo[_reader.ReadUInt32()] = _stack[^1]; break;      // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = _stack[^1]; break;                     // MEMOIZE
                case (byte)'h': _stack.Add(_memo[_reader.ReadByte()]); break;         // BINGET
                case (byte)'j': _stack.Add(_memo[_reader.ReadUInt32()]); break;       // LONG_BINGET
                default: throw new InvalidDataException($"pickle opcode 0x{op:x2} is not one torch.save writes");
            }
        }
    }

    private void Call()
    {
        var arguments = AsTuple(Pop());
        var function = Pop() as PickleGlobal ?? throw new InvalidDataException("a pickle call of something that is not a global");
        // OrderedDict() starts an empty dict that SETITEMS fills; every other call stays a record.
        _stack.Add(function.FullName == "collections.OrderedDict" ? new PickleDict() : new PickleCall(function, arguments));
    }

    private void SetItems(List<object?> items)
    {
        var dict = (PickleDict)_stack[^1]!;
        for (var i = 0; i + 1 < items.Count; i += 2) dict.Add(items[i], items[i + 1]);
    }

    private static object?[] AsTuple(object? value) => value as object?[] ?? throw new InvalidDataException("expected a pickled tuple");

    private object? Pop()
    {
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] Take(int count)
    {
        var items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private List<object?> PopToMark()
    {
        var mark = _stack.LastIndexOf(Mark);
        if (mark < 0) throw new InvalidDataException("pickle MARK missing");
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private string Text(long length) => Encoding.UTF8.GetString(Bytes(length));
    private string Latin1(long length) => Encoding.Latin1.GetString(Bytes(length));

    private byte[] Bytes(long length) => length is >= 0 and <= 1 << 24
        ? _reader.ReadBytes((int)length)
        : throw new InvalidDataException($"a pickled string of {length} bytes");

    private string Line()
    {
        var line = new StringBuilder();
        for (var b = _reader.ReadByte(); b != '\n'; b = _reader.ReadByte()) line.Append((char)b);
        return line.ToString();
    }

    // Little-endian two's complement, as LONG1 stores it (the legacy magic number needs 80 bits).
    private static object Long(byte[] bytes) => bytes.Length <= 8
        ? bytes.Length == 0 ? 0L : (long)new System.Numerics.BigInteger(bytes)
        : new System.Numerics.BigInteger(bytes);
}

/// <summary>A pickled dict or OrderedDict, its entries in file order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];

    public void Add(object? key, object? value) => Entries.Add(new(key, value));

    public object? this[string key] => Entries.FirstOrDefault(e => e.Key as string == key).Value;
}
