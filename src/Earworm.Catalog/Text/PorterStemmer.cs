namespace Earworm.Catalog.Text;

/// <summary>
/// The Porter stemmer (Porter 1980, "An algorithm for suffix stripping", Program 14(3)): English suffixes stripped in
/// five steps by the measure m of the stem (its count of vowel–consonant sequences), so "connection", "connected" and
/// "connecting" become "connect", "relational" "relat". Lower-case ASCII words; a word with any other character, or of
/// one or two letters, is returned as it is.
/// </summary>
public static class PorterStemmer
{
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2) return word;
        foreach (char c in word)
            if (c is < 'a' or > 'z') return word;
        var w = new Word(word);
        w.Step1a();
        w.Step1b();
        w.Step1c();
        w.Step2();
        w.Step3();
        w.Step4();
        w.Step5();
        return w.ToString();
    }

    private sealed class Word(string word)
    {
        private readonly char[] _b = word.ToCharArray();
        private int _k = word.Length; // the word is _b[0.._k)
        private int _j;               // the stem's end while a suffix is tried: _b[0.._j)

        public override string ToString() => new(_b, 0, _k);

        private bool Consonant(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Consonant(i - 1),
            _ => true,
        };

        /// <summary>m of _b[0.._j): the number of VC sequences in [C](VC)^m[V].</summary>
        private int Measure()
        {
            int n = 0, i = 0;
            while (i < _j && Consonant(i)) i++;
            while (i < _j)
            {
                while (i < _j && !Consonant(i)) i++;
                if (i >= _j) break;
                n++;
                while (i < _j && Consonant(i)) i++;
            }
            return n;
        }

        private bool VowelInStem()
        {
            for (int i = 0; i < _j; i++) if (!Consonant(i)) return true;
            return false;
        }

        private bool DoubleConsonant(int end) => end >= 1 && _b[end] == _b[end - 1] && Consonant(end);

        /// <summary>_b[i-2..i] is consonant–vowel–consonant and the last is not w, x or y (cvc: "hop", not "snow").</summary>
        private bool Cvc(int i) =>
            i >= 2 && Consonant(i) && !Consonant(i - 1) && Consonant(i - 2) && _b[i] is not ('w' or 'x' or 'y');

        private bool Ends(string s)
        {
            if (s.Length > _k) return false;
            for (int i = 0; i < s.Length; i++)
                if (_b[_k - s.Length + i] != s[i]) return false;
            _j = _k - s.Length;
            return true;
        }

        private void SetTo(string s)
        {
            for (int i = 0; i < s.Length; i++) _b[_j + i] = s[i];
            _k = _j + s.Length;
        }

        private void ReplaceIfMeasured(string s)
        {
            if (Measure() > 0) SetTo(s);
        }

        public void Step1a()
        {
            if (_b[_k - 1] != 's') return;
            if (Ends("sses")) _k -= 2;
            else if (Ends("ies")) SetTo("i");
            else if (_k >= 2 && _b[_k - 2] != 's') _k--;
        }

        public void Step1b()
        {
            if (Ends("eed"))
            {
                if (Measure() > 0) _k--;
                return;
            }
            if (!((Ends("ed") || Ends("ing")) && VowelInStem())) return;
            _k = _j;
            if (Ends("at")) SetTo("ate");
            else if (Ends("bl")) SetTo("ble");
            else if (Ends("iz")) SetTo("ize");
            else if (DoubleConsonant(_k - 1))
            {
                if (_b[_k - 1] is not ('l' or 's' or 'z')) _k--;
            }
            else
            {
                _j = _k;
                if (Measure() == 1 && Cvc(_k - 1)) SetTo("e");
            }
        }

        public void Step1c()
        {
            if (Ends("y") && VowelInStem()) _b[_k - 1] = 'i';
        }

        private static readonly (string Suffix, string Replacement)[] Step2Rules =
        [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
            ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
            ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
            ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
        ];

        private static readonly (string Suffix, string Replacement)[] Step3Rules =
        [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
        ];

        public void Step2() => ApplyFirst(Step2Rules);

        public void Step3() => ApplyFirst(Step3Rules);

        /// <summary>The longest listed suffix the word ends with is replaced when its stem's measure is above 0.</summary>
        private void ApplyFirst((string Suffix, string Replacement)[] rules)
        {
            (string Suffix, string Replacement)? best = null;
            foreach (var r in rules)
                if (Ends(r.Suffix) && (best is null || r.Suffix.Length > best.Value.Suffix.Length)) best = r;
            if (best is not { } rule) return;
            Ends(rule.Suffix);
            ReplaceIfMeasured(rule.Replacement);
        }

        private static readonly string[] Step4Suffixes =
        [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
            "ous", "ive", "ize",
        ];

        public void Step4()
        {
            string? best = null;
            foreach (var s in Step4Suffixes)
                if (Ends(s) && (best is null || s.Length > best.Length)) best = s;
            if (best is null) return;
            Ends(best);
            if (best == "ion" && !(_j > 0 && _b[_j - 1] is 's' or 't')) return;
            if (Measure() > 1) _k = _j;
        }

        public void Step5()
        {
            _j = _k;
            if (_b[_k - 1] == 'e')
            {
                _j = _k - 1;
                int m = Measure();
                if (m > 1 || (m == 1 && !Cvc(_k - 2))) _k--;
            }
            if (_b[_k - 1] == 'l' && DoubleConsonant(_k - 1))
            {
                _j = _k;
                if (Measure() > 1) _k--;
            }
        }
    }
}
