package io.umqtt.spring.boot.autoconfigure;

/**
 * {@link UmqttConnectionDetails} read from {@link UmqttProperties}; {@code localhost}
 * when no server is configured.
 */
class PropertiesUmqttConnectionDetails implements UmqttConnectionDetails {

	private final UmqttProperties properties;

	PropertiesUmqttConnectionDetails(UmqttProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getServer() {
		return (this.properties.getServer() != null) ? this.properties.getServer() : "localhost";
	}

	@Override
	public int getPort() {
		return (this.properties.getPort() != null) ? this.properties.getPort() : 0;
	}

	@Override
	public String getUser() {
		return this.properties.getUser();
	}

	@Override
	public String getPassword() {
		return this.properties.getPassword();
	}

}
