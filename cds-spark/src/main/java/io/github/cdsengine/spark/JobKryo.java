package io.github.cdsengine.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * The classes the population job hands to Spark's Kryo serializer beside those Spark registers
 * itself: the broadcast settings and engine configuration (written with Java serialization, once
 * per executor: records and a digest-checked configuration are not Kryo's field-by-field kind),
 * the export files handed to the reading tasks, the summary's running totals (their zero value
 * is copied for each partition), the broadcast Hadoop settings, and the lists a patient's lines
 * are kept in. Everything else shuffled or kept on local disk is byte arrays and strings. With {@code spark.kryo.registrationRequired}, a class missing here fails the job
 * by name instead of being written with its class name every time.
 */
public final class JobKryo implements KryoRegistrator {

  /** Made by Spark, by name, on the driver and every executor. */
  public JobKryo() {
    // nothing to hold
  }

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(JobSettings.class, new JavaSerializer());
    kryo.register(EngineConfig.class, new JavaSerializer());
    kryo.register(PopulationJob.Totals.class, new JavaSerializer());
    kryo.register(PopulationJob.FileTask.class, new JavaSerializer());
    kryo.register(HashMap.class);
    kryo.register(ArrayList.class);
  }
}
