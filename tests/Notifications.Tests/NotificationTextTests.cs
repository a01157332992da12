using System.Globalization;
using System.Text;
using AppMsg.Grains.Notifications;

namespace AppMsg.Notifications.Tests;

/// <summary>Titles and bodies are cut between text elements, within the element and UTF-8 limits, and marked.</summary>
public sealed class NotificationTextTests
{
    [Fact]
    public void Short_text_is_kept_and_long_text_is_cut_to_the_limit_with_a_mark()
    {
        Assert.Equal("hello", NotificationText.Truncate("hello", 10));
        var cut = NotificationText.Truncate(new string('a', 500), NotificationText.MaxBodyLength);
        Assert.Equal(NotificationText.MaxBodyLength, new StringInfo(cut).LengthInTextElements);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_emoji_sequence_or_a_combined_letter_is_never_split()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"; // one text element, 8 UTF-16 units
        const string accented = "e\u0301";
        var text = string.Concat(Enumerable.Repeat(family + accented, 10));

        var cut = NotificationText.Truncate(text, 5);

        Assert.Equal(family + accented + family + accented + "…", cut);
    }

    [Fact]
    public void Wide_characters_are_cut_by_utf8_bytes_too()
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 300)); // 300 elements of 4 UTF-8 bytes

        var cut = NotificationText.Truncate(text, 1_000);

        Assert.True(Encoding.UTF8.GetByteCount(cut) <= NotificationText.MaxUtf8Bytes, $"{Encoding.UTF8.GetByteCount(cut)} bytes");
        Assert.Equal(Encoding.UTF8.GetByteCount(cut) - 3, (new StringInfo(cut).LengthInTextElements - 1) * 4);
        Assert.True(new StringInfo(cut).LengthInTextElements > 250);
    }
}
