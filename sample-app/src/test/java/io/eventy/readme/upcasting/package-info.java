/**
 * The README's upcaster example: a record type whose version 2 added a currency.
 */
@NullMarked
package io.eventy.readme.upcasting;

import org.jspecify.annotations.NullMarked;
