/**
 * The README's aggregate examples: an immutable account and a mutable cart.
 */
@NullMarked
package io.eventy.readme.accounts;

import org.jspecify.annotations.NullMarked;
