/** Test support shared by the modules' tests: {@link io.musubi.testkit.ManualClock}, {@link io.musubi.testkit.Await}, {@link io.musubi.testkit.TestStores}, {@link io.musubi.testkit.HeldFlushes}. */
package io.musubi.testkit;
