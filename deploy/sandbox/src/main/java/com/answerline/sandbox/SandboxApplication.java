package com.answerline.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Stands in for the outside world (WhatsApp Cloud API, Twilio, customers' phones, the agents'
 * identity provider) in local runs and end-to-end tests. All state lives in memory.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SandboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(SandboxApplication.class, args);
    }
}
