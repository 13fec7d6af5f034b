package dev.signet.sbom;

// SPDX specification 2.3, Annex D "SPDX License Expressions": idstring, "+", WITH, AND, OR,
// parentheses; WITH binds tighter than AND, AND tighter than OR.

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parsed SPDX license expression. {@code NONE} and {@code NOASSERTION} parse as single terms so
 * that configurations can name them. Parsing is bounded ({@link #MAX_CHARS}, {@link #MAX_TERMS},
 * {@link #MAX_DEPTH}) because the text comes from attacker-supplied documents.
 */
public sealed interface LicenseExpression {
  int MAX_CHARS = 4096;
  int MAX_TERMS = 256;
  int MAX_DEPTH = 32;

  /** One license, optionally "or later" ({@code +}) and with an exception ({@code WITH}). */
  record Term(String id, boolean orLater, String exception) implements LicenseExpression {
    private static final Pattern GNU_VERSIONED = Pattern.compile("(?i)(A?GPL|LGPL|GFDL)-\\d\\.\\d");

    /**
     * The identifier as compared: upper case (SPDX identifiers match case-insensitively), with the
     * deprecated GNU forms spelled out ({@code GPL-3.0} is {@code GPL-3.0-ONLY}, {@code GPL-3.0+}
     * is {@code GPL-3.0-OR-LATER}).
     */
    public String key() {
      String upper = id.toUpperCase(Locale.ROOT);
      String base = upper;
      boolean later = orLater;
      if (GNU_VERSIONED.matcher(id).matches()) {
        base = upper + (later ? "-OR-LATER" : "-ONLY");
        later = false;
      }
      return base + (later ? "+" : "")
          + (exception == null ? "" : " WITH " + exception.toUpperCase(Locale.ROOT));
    }

    /** This term without its exception, as compared. */
    public String keyWithoutException() {
      return new Term(id, orLater, null).key();
    }

    @Override
    public String toString() {
      return id + (orLater ? "+" : "") + (exception == null ? "" : " WITH " + exception);
    }
  }

  /** Every operand is needed. */
  record All(List<LicenseExpression> operands) implements LicenseExpression {
    public All {
      operands = List.copyOf(operands);
    }

    @Override
    public String toString() {
      return join(operands, " AND ", Object::toString);
    }
  }

  /** Any one operand is enough. */
  record Any(List<LicenseExpression> operands) implements LicenseExpression {
    public Any {
      operands = List.copyOf(operands);
    }

    @Override
    public String toString() {
      return join(operands, " OR ", Object::toString);
    }
  }

  /**
   * Whether the licenses can be complied with using only terms that {@code usable} accepts:
   * {@code AND} needs every operand, {@code OR} one of them.
   */
  default boolean satisfiable(Predicate<Term> usable) {
    return switch (this) {
      case Term t -> usable.test(t);
      case All a -> a.operands().stream().allMatch(o -> o.satisfiable(usable));
      case Any a -> a.operands().stream().anyMatch(o -> o.satisfiable(usable));
    };
  }

  /**
   * The canonical text: upper-case keys, parentheses only around an {@code OR} inside an {@code AND}
   * (so no deeper than in any text that parses to it); used to compare whole expressions.
   */
  default String canonical() {
    return switch (this) {
      case Term t -> t.key();
      case All a -> join(a.operands(), " AND ", LicenseExpression::canonical);
      case Any a -> join(a.operands(), " OR ", LicenseExpression::canonical);
    };
  }

  /**
   * The operands' {@code text} between {@code operator}s. Only an {@code OR} needs parentheses as an
   * operand: {@code AND} binds tighter, and parsing flattens an operand of the same kind.
   */
  private static String join(
      List<LicenseExpression> operands,
      String operator,
      Function<LicenseExpression, String> text) {
    return operands.stream()
        .map(o -> o instanceof Any ? "(" + text.apply(o) + ")" : text.apply(o))
        .collect(Collectors.joining(operator));
  }

  /**
   * Parses an SPDX license expression.
   *
   * @throws IllegalArgumentException saying what is wrong, for text that is not an expression
   */
  static LicenseExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the license expression is empty");
    }
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "the license expression is longer than " + MAX_CHARS + " characters");
    }
    return new ExpressionParser(text).parseAll();
  }

  /** The recursive-descent parser behind {@link #parse}. */
  final class ExpressionParser {
    private static final Pattern ID = Pattern.compile(
        "((?i:DocumentRef-)[A-Za-z0-9.\\-]+:)?[A-Za-z0-9.\\-]+");

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private int next;
    private int terms;

    private ExpressionParser(String text) {
      this.text = text;
      tokenize();
    }

    private void tokenize() {
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(' || c == ')' || c == '+') {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          int start = i;
          while (i < text.length() && isWordChar(text.charAt(i))) {
            i++;
          }
          if (start == i) {
            throw new IllegalArgumentException(
                "\"" + text + "\" is not an SPDX license expression: unexpected character '"
                    + c + "' at position " + (i + 1));
          }
          tokens.add(text.substring(start, i));
        }
      }
    }

    private static boolean isWordChar(char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == ':';
    }

    LicenseExpression parseAll() {
      LicenseExpression e = or(0);
      if (next < tokens.size()) {
        throw error("unexpected \"" + tokens.get(next) + "\"");
      }
      return e;
    }

    private LicenseExpression or(int depth) {
      List<LicenseExpression> operands = operands("OR", () -> and(depth));
      return operands.size() == 1 ? operands.get(0) : new Any(flatten(operands, Any.class));
    }

    private LicenseExpression and(int depth) {
      List<LicenseExpression> operands = operands("AND", () -> primary(depth));
      return operands.size() == 1 ? operands.get(0) : new All(flatten(operands, All.class));
    }

    /** One or more operands read by {@code operand}, separated by {@code operator}. */
    private List<LicenseExpression> operands(String operator, Supplier<LicenseExpression> operand) {
      List<LicenseExpression> operands = new ArrayList<>();
      operands.add(operand.get());
      while (isOperator(operator)) {
        next++;
        operands.add(operand.get());
      }
      return operands;
    }

    private static List<LicenseExpression> flatten(List<LicenseExpression> operands, Class<?> kind) {
      List<LicenseExpression> out = new ArrayList<>();
      for (LicenseExpression o : operands) {
        if (kind.isInstance(o)) {
          out.addAll(o instanceof All a ? a.operands() : ((Any) o).operands());
        } else {
          out.add(o);
        }
      }
      return out;
    }

    private LicenseExpression primary(int depth) {
      if (next >= tokens.size()) {
        throw error("it ends where a license was expected");
      }
      String token = tokens.get(next);
      if (token.equals("(")) {
        if (depth >= MAX_DEPTH) {
          throw error("parentheses nest deeper than " + MAX_DEPTH);
        }
        next++;
        LicenseExpression inner = or(depth + 1);
        if (next >= tokens.size() || !tokens.get(next).equals(")")) {
          throw error("a parenthesis is not closed");
        }
        next++;
        return inner;
      }
      if (token.equals(")") || token.equals("+") || isOperatorWord(token)) {
        throw error("\"" + token + "\" where a license was expected");
      }
      if (!ID.matcher(token).matches()) {
        throw error("\"" + token + "\" is not a license identifier");
      }
      if (++terms > MAX_TERMS) {
        throw error("it has more than " + MAX_TERMS + " licenses");
      }
      next++;
      boolean orLater = false;
      if (next < tokens.size() && tokens.get(next).equals("+")) {
        orLater = true;
        next++;
      }
      String exception = null;
      if (isOperator("WITH")) {
        next++;
        if (next >= tokens.size() || !ID.matcher(tokens.get(next)).matches()
            || isOperatorWord(tokens.get(next))) {
          throw error("WITH must be followed by an exception identifier");
        }
        exception = tokens.get(next++);
      }
      return new Term(token, orLater, exception);
    }

    private boolean isOperator(String word) {
      return next < tokens.size() && tokens.get(next).equalsIgnoreCase(word);
    }

    private static boolean isOperatorWord(String token) {
      return token.equalsIgnoreCase("AND") || token.equalsIgnoreCase("OR")
          || token.equalsIgnoreCase("WITH");
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "\"" + text + "\" is not an SPDX license expression: " + what);
    }
  }
}
