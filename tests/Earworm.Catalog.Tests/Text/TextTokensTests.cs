using Earworm.Catalog.Text;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Text;

public sealed class TextTokensTests
{
    // Porter (1980)'s own examples, and pairs from the reference implementation's voc.txt/output.txt
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "ti")]
    [InlineData("cats", "cat")]
    [InlineData("feed", "feed")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("motoring", "motor")]
    [InlineData("sing", "sing")]
    [InlineData("conflated", "conflat")]
    [InlineData("troubled", "troubl")]
    [InlineData("sized", "size")]
    [InlineData("hopping", "hop")]
    [InlineData("falling", "fall")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("valenci", "valenc")]
    [InlineData("digitizer", "digit")]
    [InlineData("vietnamization", "vietnam")]
    [InlineData("predication", "predic")]
    [InlineData("hopefulness", "hope")]
    [InlineData("formaliti", "formal")]
    [InlineData("triplicate", "triplic")]
    [InlineData("electrical", "electr")]
    [InlineData("revival", "reviv")]
    [InlineData("allowance", "allow")]
    [InlineData("adjustment", "adjust")]
    [InlineData("adoption", "adopt")]
    [InlineData("generalization", "gener")]
    [InlineData("probate", "probat")]
    [InlineData("rate", "rate")]
    [InlineData("controll", "control")]
    [InlineData("roll", "roll")]
    [InlineData("connection", "connect")]
    [InlineData("connecting", "connect")]
    [InlineData("melodies", "melodi")]
    [InlineData("melody", "melodi")]
    public void PorterStemsAsThePaperDoes(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void TextBecomesStemmedTermsWithoutStopWordsDigitsOrAccents()
    {
        Assert.Equal(["dreami", "pianist", "melodi", "haunt", "melodi", "cafe"],
            TextTokens.Terms("The dreamy pianist's melodies — 1999, haunting MELODY at the Café!"));
        Assert.Equal(("melodi", "melodies"), TextTokens.Read("melodies")[0]);
        Assert.Empty(TextTokens.Terms("it is what it was, 2001"));
    }
}
