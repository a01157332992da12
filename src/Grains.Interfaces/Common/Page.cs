namespace AppMsg.Common;

/// <summary>One page of a list; pass <see cref="Next"/> back as <c>after</c> for the following page.</summary>
/// <param name="Items">The items of this page, in list order.</param>
/// <param name="Next">The cursor of the next page, or null on the last page.</param>
[GenerateSerializer, Immutable]
public sealed record Page<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] string? Next);
