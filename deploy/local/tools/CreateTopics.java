import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Creates every topic of the catalogue ({@link Topics#ALL} and their dead-letter twins) on the local broker
 * before the services start, so no service depends on another's NewTopic beans and auto-creation can stay off.
 * Idempotent: existing topics are kept, but a partition count that differs from the catalogue is an error
 * (co-partitioning would silently break).
 *
 * <p>Run by deploy/local/stack as a single-file source program:
 * {@code java -cp 'kafka/target/lib/*:kafka/target/catalogue/*' CreateTopics.java 127.0.0.1:9092 [client.properties]}
 */
public class CreateTopics {

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        short replicationFactor = 1;
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            wanted.add(topic.newTopic(replicationFactor));
            wanted.add(topic.newDeadLetterTopic(replicationFactor));
        }

        Properties config = new Properties();
        if (args.length > 1) {
            // Client settings of a secured broker (security.protocol, sasl.*, ssl.*), as the services get them.
            try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(args[1]))) {
                config.load(in);
            }
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-create-topics");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                    try {
                        created.getValue().get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // A service that declares its own topics may have been quicker: same catalogue, same topic.
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Map<String, TopicDescription> described = described(admin, wanted);
            List<String> wrong = new ArrayList<>();
            for (NewTopic topic : wanted) {
                int partitions = described.get(topic.name()).partitions().size();
                if (partitions != topic.numPartitions()) {
                    wrong.add(topic.name() + " has " + partitions + " partitions, the catalogue says " + topic.numPartitions());
                }
            }
            if (!wrong.isEmpty()) {
                System.err.println("Topics differ from the catalogue (delete the data folder to start afresh): " + wrong);
                System.exit(2);
            }
            System.out.println("topics: " + wanted.size() + " present (" + missing.size() + " created)");
        }
    }

    /**
     * The topics as the broker describes them. A topic created a moment ago may not be in the metadata the broker
     * answers with yet (UnknownTopicOrPartitionException): asked again every 0.5 s for up to 30 s.
     */
    private static Map<String, TopicDescription> described(Admin admin, List<NewTopic> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(wanted.stream().map(NewTopic::name).toList())
                        .allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
