/**
 * The README's "Operating subscriptions" example: an application's own operations on the
 * {@code Subscriptions} and {@code DeadLetters} beans.
 */
@NullMarked
package io.eventy.readme.operating;

import org.jspecify.annotations.NullMarked;
