package com.answerline.dispatch.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.answerline.dispatch.send.SenderProperties;

/** The sender's worker threads (see {@link SenderProperties}). Closed after the listener container has stopped. */
@Configuration(proxyBeanMethods = false)
class SenderConfig {

    @Bean(name = "senderWorkers", destroyMethod = "shutdown")
    ExecutorService senderWorkers(SenderProperties sender) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "dispatch-sender-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(sender.concurrency(), threads);
    }
}
