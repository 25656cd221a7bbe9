/**
 * The services of an Eventy system: this one and those it talks to, which namespace each
 * owns, and which records reach this service.
 */
@NullMarked
package io.eventy.service;

import org.jspecify.annotations.NullMarked;
