package io.umqtt.spring.boot.autoconfigure.health;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code mqtt} health contributor.
 */
@ConfigurationProperties("management.health.mqtt")
public class MqttHealthProperties {

	/**
	 * Whether health details list the granted and refused topic filters; by default only
	 * their number, since filters often carry tenant or device ids.
	 */
	private boolean showSubscriptions;

	public boolean isShowSubscriptions() {
		return this.showSubscriptions;
	}

	public void setShowSubscriptions(boolean showSubscriptions) {
		this.showSubscriptions = showSubscriptions;
	}

}
