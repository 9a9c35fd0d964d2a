package com.answerline.session;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** session-service: folds conversation events into the per-conversation window state. */
@SpringBootApplication
public class SessionServiceApplication {

    /** Avro 1.12 instantiates only generated classes from trusted packages. */
    static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    public static void main(String[] args) {
        trustAvroClasses();
        SpringApplication.run(SessionServiceApplication.class, args);
    }

    static void trustAvroClasses() {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "com.answerline.avro");
        }
    }
}
