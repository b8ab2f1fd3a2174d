package io.umqtt.sample;

/**
 * A device's answer to a command on MQTT 5, published as JSON to the command's response
 * topic with its correlation data.
 *
 * @param device the device id
 * @param command the command text it received
 * @param result what it did: {@code done}
 * @param received how many commands it has received, this one included
 */
public record CommandReply(String device, String command, String result, int received) {
}
