package io.umqtt.spring;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Hides credentials in an error text before it is shown (health details, logs, events):
 * each occurrence of the client's password, and the user information of a URI
 * ({@code tcp://user:secret@host}), becomes {@code ******}. The rest of the text stays as
 * it was, so that it still says what went wrong.
 */
public final class ErrorTextMask {

	/** What a hidden credential reads as. */
	public static final String MASK = "******";

	private static final Pattern URI_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

	private static final ErrorTextMask NONE = new ErrorTextMask(null);

	private final @Nullable String password;

	private ErrorTextMask(@Nullable String password) {
		this.password = (password != null && !password.isEmpty()) ? password : null;
	}

	/**
	 * A mask for the error texts of a client with {@code password}.
	 * @param password the client's password; {@code null} or empty: only URI user
	 * information is hidden
	 * @return the mask
	 */
	public static ErrorTextMask of(@Nullable String password) {
		return (password != null && !password.isEmpty()) ? new ErrorTextMask(password) : NONE;
	}

	/**
	 * {@code text} with the credentials hidden.
	 * @param text an error text, or {@code null}
	 * @return the text with every occurrence of the password and every URI's user
	 * information replaced by {@value #MASK}; {@code null} for {@code null}
	 */
	public @Nullable String apply(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String masked = (this.password != null) ? text.replace(this.password, MASK) : text;
		return URI_USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
	}

}
