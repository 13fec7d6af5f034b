package dev.signet.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.signet.result.VerifierReport;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A policy written in CEL (https://cel.dev, the Common Expression Language of Kubernetes'
 * ValidatingAdmissionPolicy), the expression alternative to Ratify's Rego policy. The expression
 * sees two variables, modelled on the input of Ratify's Rego policy ({@code {"verifierReports":
 * [...]}}):
 *
 * <ul>
 *   <li>{@code subject}: the subject reference as given (string);
 *   <li>{@code verifierReports}: the reports, one map per judged referrer, with the keys of the JSON
 *       result (see {@link CelInput}).
 * </ul>
 *
 * <p>The expression is parsed and type-checked once, when the configuration is loaded, and must be
 * of type {@code bool}. Evaluation fails closed: an error (a missing key, a wrong type), a value
 * that is not a bool at run time, or an exhausted iteration budget is a deny that says why.
 */
public final class CelPolicy implements VerificationPolicy {
  /** Longer expressions belong in code review, not in a configuration value. */
  public static final int MAX_EXPRESSION_CHARS = 16 * 1024;

  /**
   * Iterations of all comprehensions ({@code all}, {@code exists}, {@code map}, ...) in one
   * evaluation: plenty for nested loops over real reports, and a bound on a quadratic expression
   * over a subject with an attacker-inflated number of referrers.
   */
  static final int MAX_ITERATIONS = 100_000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .maxExpressionCodePointSize(MAX_EXPRESSION_CHARS)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .build();

  private static final Pattern EVALUATION_ERROR =
      Pattern.compile("^evaluation error at <input>:(\\d+): ");

  private final String expression;
  private final CelRuntime.Program program;

  private CelPolicy(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  /**
   * Parses and type-checks an expression.
   *
   * @throws PolicyException naming the line and column of each problem
   */
  public static CelPolicy compile(String expression) throws PolicyException {
    if (expression == null || expression.isBlank()) {
      throw new PolicyException("the CEL expression is empty");
    }
    if (expression.length() > MAX_EXPRESSION_CHARS) {
      throw new PolicyException(
          "the CEL expression is "
              + expression.length()
              + " characters long; the limit is "
              + MAX_EXPRESSION_CHARS);
    }
    Cel cel = environment();
    CelValidationResult compiled = cel.compile(expression);
    if (compiled.hasError()) {
      throw new PolicyException("the CEL expression does not compile: " + issues(compiled.getErrors()));
    }
    try {
      return new CelPolicy(expression, cel.createProgram(compiled.getAst()));
    } catch (CelValidationException e) {
      throw new PolicyException("the CEL expression does not compile: " + issues(e.getErrors()), e);
    } catch (CelEvaluationException | RuntimeException e) {
      // The builder may reject what it cannot plan; that is still the expression's fault.
      throw new PolicyException("the CEL expression cannot be prepared: " + e.getMessage(), e);
    }
  }

  private static Cel environment() {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("subject", SimpleType.STRING)
        .addVar("verifierReports", ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)))
        .setResultType(SimpleType.BOOL)
        .build();
  }

  private static String issues(List<CelIssue> issues) {
    return issues.stream()
        .map(
            i -> {
              CelSourceLocation at = i.getSourceLocation();
              return at == null || at.equals(CelSourceLocation.NONE)
                  ? i.getMessage()
                  : "line " + at.getLine() + ", column " + (at.getColumn() + 1) + ": " + i.getMessage();
            })
        .collect(Collectors.joining("; "));
  }

  /** The expression as configured. */
  public String expression() {
    return expression;
  }

  @Override
  public PolicyDecision decide(List<VerifierReport> reports) {
    Object value;
    try {
      String subject = reports.isEmpty() ? "" : reports.getFirst().subject();
      value =
          program.eval(Map.of("subject", subject, "verifierReports", CelInput.reports(reports)));
    } catch (CelEvaluationException e) {
      return PolicyDecision.error("the CEL policy failed: " + readable(e.getMessage()));
    } catch (RuntimeException e) {
      return PolicyDecision.error("the CEL policy failed: " + e);
    }
    if (value instanceof Boolean b) {
      return b
          ? PolicyDecision.allow()
          : PolicyDecision.deny("the CEL policy evaluated to false");
    }
    return PolicyDecision.error(
        "the CEL policy evaluated to "
            + (value == null ? "null" : value.getClass().getSimpleName() + " " + shortened(value))
            + ", not a bool");
  }

  /** CEL says "evaluation error at <input>:35: ..." where 35 is a 0-based character offset. */
  private static String readable(String message) {
    return message == null
        ? "evaluation error"
        : EVALUATION_ERROR.matcher(message).replaceFirst("at offset $1 of the expression: ");
  }

  private static String shortened(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  @Override
  public String toString() {
    return "CelPolicy[" + expression + "]";
  }
}
