package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's glob rules, case by case (the examples of Redis's KEYS documentation among them). */
class GlobPatternTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "h?llo|hello|true", "h?llo|hallo|true", "h?llo|hllo|false",
      "h*llo|hllo|true", "h*llo|heeeello|true", "h*llo|hello world|false",
      "h[ae]llo|hello|true", "h[ae]llo|hallo|true", "h[ae]llo|hillo|false",
      "h[^e]llo|hallo|true", "h[^e]llo|hello|false",
      "h[a-b]llo|hallo|true", "h[a-b]llo|hbllo|true", "h[a-b]llo|hcllo|false",
      "h[b-a]llo|hallo|true",
      "*|anything|true", "*|''|true", "''|''|true", "''|a|false",
      "a*b*c|abc|true", "a*b*c|aXbYc|true", "a*b*c|aXbY|false", "**a|bba|true",
      "*a*a*a*a*b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac|false",
      "h\\*llo|h*llo|true", "h\\*llo|hello|false", "h\\?|h?|true", "h\\?|hx|false",
      "[\\]]|]|true", "[a\\-z]|-|true", "[a\\-z]|b|false",
      "user:[0-9]*|user:42|true", "user:[0-9]*|user:x|false",
      "[abc|a|true", "[abc|d|false", "ab[|ab|false",
      "?|''|false", "?|ab|false", "[]|a|false"
  })
  void matchesAsRedisDoes(String pattern, String key, boolean matches) {
    assertEquals(matches, GlobPattern.compile(ByteString.utf8(pattern))
        .matches(ByteString.utf8(key)), pattern + " ~ " + key);
  }

  @Test
  void comparesBytesUnsigned() {
    byte[] pattern = {'[', (byte) 0x80, '-', (byte) 0xff, ']'};
    assertEquals(true, GlobPattern.compile(ByteString.copyOf(pattern))
        .matches(new byte[] {(byte) 0x90}));
    assertEquals(false, GlobPattern.compile(ByteString.copyOf(pattern))
        .matches(new byte[] {0x10}));
  }
}
