package com.answerline.dispatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** dispatch-service: decides the channel of every agent reply and sends it through the providers. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatchApplication {

    /** Avro 1.12 instantiates only generated classes from trusted packages. */
    static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    public static void main(String[] args) {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "com.answerline.avro");
        }
        SpringApplication.run(DispatchApplication.class, args);
    }
}
