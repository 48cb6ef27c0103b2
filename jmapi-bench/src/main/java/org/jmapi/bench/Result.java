package org.jmapi.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One printed line: a jmapi figure, its baseline from the same run, the ratio and whether the target is met.
 *
 * @param name          the row name
 * @param value         jmapi's figure
 * @param error         its 99.9% confidence half-width (JMH), or NaN
 * @param unit          the unit of {@code value} and the baseline's value
 * @param baselineName  what the baseline is
 * @param baselineValue its figure
 * @param baselineError its 99.9% confidence half-width, or NaN
 * @param ratio         the ratio, oriented so that the target reads naturally (see {@link #target})
 * @param target        the target, in terms of {@code ratio} and {@code value}
 * @param checks        each part of the target with whether it is met
 * @param params        the parameters of the measurement
 */
public record Result(String name, double value, double error, String unit, String baselineName,
                     double baselineValue, double baselineError, double ratio, String target, List<Check> checks,
                     Map<String, Object> params) {

    /**
     * One part of a target.
     *
     * @param target the condition, e.g. "ratio ≥ 0.7"
     * @param met    whether it holds
     */
    public record Check(String target, boolean met) {}

    /** @return whether every check holds */
    public boolean met() {
        return checks.stream().allMatch(Check::met);
    }

    /** @return the line's JSON object, fields in a fixed order */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", round(value));
        m.put("unit", unit);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", baselineName);
        b.put("value", round(baselineValue));
        if (!Double.isNaN(baselineError)) {
            b.put("error", round(baselineError));
        }
        m.put("baseline", b);
        m.put("ratio", round(ratio));
        if (!Double.isNaN(error)) {
            m.put("error", round(error));
        }
        m.put("target", target);
        m.put("met", met());
        m.put("checks", checks.stream().map(c -> Map.of("target", c.target(), "met", c.met())).toList());
        m.put("params", params);
        return m;
    }

    /**
     * @param v a figure
     * @return it rounded to 4 significant digits (for printing; nothing is computed from the rounded value)
     */
    public static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
