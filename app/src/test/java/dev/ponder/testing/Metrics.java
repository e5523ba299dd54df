package dev.ponder.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample of {@code /q/metrics} (Prometheus text), as an operator's dashboard would. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of the first sample named {@code name} whose labels contain every one of {@code labels}. */
    public static double value(String name, String... labels) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return valueIn(text, name, labels);
    }

    public static double valueIn(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= l.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }

    /** True when no search holds KV blocks: every used block is only the prefix cache's. */
    public static boolean kvAtBaseline() {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return valueIn(text, "ponder_kv_blocks", "state=\"used\"") == valueIn(text, "ponder_kv_blocks", "state=\"cached\"");
    }
}
