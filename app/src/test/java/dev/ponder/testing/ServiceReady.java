package dev.ponder.testing;

import static io.restassured.RestAssured.given;

/** Waits until the service reports ready (the model loads on a background thread at startup). */
public final class ServiceReady {

    private ServiceReady() {
    }

    public static void await() {
        long giveUp = System.currentTimeMillis() + 300_000;
        while (Management.given().get("/q/health/ready").statusCode() != 200) {
            String health = Management.given().get("/q/health/ready").asString();
            if (System.currentTimeMillis() > giveUp || health.contains("\"failed\"")) {
                throw new AssertionError("not ready: " + health);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
