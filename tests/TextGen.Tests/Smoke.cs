namespace TextGen.Tests; public class Smoke { [Xunit.Fact] public void One() => Xunit.Assert.Equal(2, 1+1); }
