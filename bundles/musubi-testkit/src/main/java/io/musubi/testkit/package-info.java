/** Test support shared by the modules' tests: {@link io.musubi.testkit.ManualClock}, {@link io.musubi.testkit.Await}, {@link io.musubi.testkit.TestStores}. */
package io.musubi.testkit;
