namespace TextGen; /// <summary>Library version.</summary>
public static class LibraryInfo { /// <summary>The version string.</summary>
 public static string Version => typeof(LibraryInfo).Assembly.GetName().Version?.ToString() ?? "0"; }
