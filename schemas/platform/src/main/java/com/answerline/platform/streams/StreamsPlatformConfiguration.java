package com.answerline.platform.streams;

import java.util.function.Consumer;

import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.CompositeKafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import com.answerline.platform.kafka.DeadLetters;
import com.answerline.platform.kafka.GroupMembership;
import com.answerline.platform.kafka.KafkaPlatformProperties;

/**
 * How every service runs its one Kafka Streams app in Spring, imported by each service
 * ({@code @Import(StreamsPlatformConfiguration.class)}). The service declares a {@link StreamsApp} bean (what makes its
 * app that app) and its topology as one or more {@link #topologyPart parts}; this configuration gives:
 * <ul>
 *   <li>the Streams configuration ({@link StreamsApp#properties}) with the {@link DeadLetters} recoverer and the
 *       group membership of every service ({@link GroupMembership}: how soon a dead instance's tasks move);</li>
 *   <li>topology registration: every {@link KafkaStreamsInfrastructureCustomizer} bean adds its nodes to Spring's
 *       builder in {@code configureBuilder}, which Spring calls when it starts the app, right before it builds the
 *       topology. Adding to the builder from any other bean (a constructor, a bean method) depends on bean order, and
 *       a part added after a {@code builder.build()} would be silently missing;</li>
 *   <li>a stream thread that dies is replaced a bounded number of times ({@link ThreadReplacementPolicy});</li>
 *   <li>the running instance in {@link StreamsInstance}, for health ({@link StreamsHealthIndicator}) and queries
 *       without the factory bean's lock;</li>
 *   <li>{@code answerline.kafka.*} ({@link KafkaPlatformProperties}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties({KafkaPlatformProperties.class, GroupMembership.class})
public class StreamsPlatformConfiguration {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(StreamsApp app, KafkaProperties kafka, DeadLetters deadLetters,
                                                        GroupMembership membership) {
        return membership.applyTo(app).configuration(kafka, deadLetters.recoverer());
    }

    /**
     * Publishes undecodable records (and records that make a processor throw) to their topic's dead-letter twin. Not a
     * KafkaTemplate bean: such a bean would make Boot back off from the service's own template.
     */
    @Bean
    DeadLetters deadLetters(KafkaProperties kafka) {
        return new DeadLetters(kafka);
    }

    @Bean
    StreamsInstance streamsInstance() {
        return new StreamsInstance();
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer streamsPlatform(ObjectProvider<KafkaStreamsInfrastructureCustomizer> parts,
                                                        StreamsInstance instance) {
        return factoryBean -> {
            factoryBean.setKafkaStreamsCustomizer(instance::set);
            factoryBean.setInfrastructureCustomizer(new CompositeKafkaStreamsInfrastructureCustomizer(
                    parts.orderedStream().toArray(KafkaStreamsInfrastructureCustomizer[]::new)));
            factoryBean.setStreamsUncaughtExceptionHandler(ThreadReplacementPolicy.standard());
        };
    }

    /** A part of a service's Streams app, as a bean: {@code addTo} adds its nodes to the shared builder. */
    public static KafkaStreamsInfrastructureCustomizer topologyPart(Consumer<StreamsBuilder> addTo) {
        return new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                addTo.accept(builder);
            }
        };
    }
}
