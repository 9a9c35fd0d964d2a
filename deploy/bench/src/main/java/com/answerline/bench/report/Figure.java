package com.answerline.bench.report;

/**
 * One measured figure of a stage, with the baseline it is compared to (same run, same machine) and the target it
 * is held against. Figures inform; they never fail a run.
 *
 * @param baselineName what the baseline is ("no-op HTTP, same load"), null when the figure has none
 * @param baseline     the baseline's value in the same unit, null when none
 * @param target       the target as text ("&gt;= 10000", "&lt; 50"), null when none
 * @param higherIsBetter how to read the target and the ratio
 */
public record Figure(String stage, String measure, double value, String unit, String baselineName, Double baseline,
                     Double target, boolean higherIsBetter) {

    public static Figure of(String stage, String measure, double value, String unit) {
        return new Figure(stage, measure, value, unit, null, null, null, true);
    }

    public Figure against(String name, double baselineValue) {
        return new Figure(stage, measure, value, unit, name, baselineValue, target, higherIsBetter);
    }

    /** At least {@code minimum}. */
    public Figure atLeast(double minimum) {
        return new Figure(stage, measure, value, unit, baselineName, baseline, minimum, true);
    }

    /** Below {@code maximum}. */
    public Figure below(double maximum) {
        return new Figure(stage, measure, value, unit, baselineName, baseline, maximum, false);
    }

    /** value / baseline, or null without a baseline. */
    public Double ratio() {
        return baseline == null || baseline == 0 ? null : value / baseline;
    }

    /** Whether the target is met, or null without a target. */
    public Boolean met() {
        if (target == null) {
            return null;
        }
        return higherIsBetter ? value >= target : value < target;
    }

    public String targetText() {
        if (target == null) {
            return "";
        }
        return (higherIsBetter ? ">= " : "< ") + Report.number(target);
    }
}
