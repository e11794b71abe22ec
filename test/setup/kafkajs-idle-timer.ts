// Every test process holds Kafka connections (probes, producers, services started in-process): none of them
// should spin kafkajs's idle 1 ms timer on the two cores the servers share (see libs/messaging/src/kafkajs-idle-timer.ts).
import { fixKafkajsIdleTimer } from '../../libs/messaging/src/kafkajs-idle-timer';

fixKafkajsIdleTimer((message) => console.warn(message));
