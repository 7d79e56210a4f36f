#!/bin/sh
# Everything a GPU session needs to verify the CUDA backend, in the git-ignored folder gpu/ at the
# repository root (carried to the GPU machine, which may have no Java and no network).
#
#   plugins/cuda/gpu-session.sh prepare   # here, with Maven and a JDK 17: jars, test classes, bench, jlink runtime
#   plugins/cuda/gpu-session.sh test      # on the GPU machine: the CUDA tests (golden suite, conformance, training parity)
#   plugins/cuda/gpu-session.sh bench     # on the GPU machine: CudaBench, then the PyTorch peer when torch with CUDA is there
#
# The runtime is DESIGN.md section 8's jlink image, shipped as gpu/jre.tar.gz and unpacked to /tmp/opforge-jre.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
gpu="$root/gpu"
jre=/tmp/opforge-jre
cmd=${1:-}

prepare() {
    build=target-gpu
    rm -rf "$gpu" && mkdir -p "$gpu/lib" "$gpu/bench-classes"
    cd "$root"
    mvn -q -Dbuild.dir.name=$build -pl platform/tensor,platform/api install -DskipTests
    mvn -q -Dbuild.dir.name=$build -pl plugins/cuda package -DskipTests
    # test dependencies (tensor + its test jar, api, jhdf, jackson, slf4j, junit); JCuda itself travels inside the bundle jar
    mvn -q -Dbuild.dir.name=$build -pl plugins/cuda dependency:copy-dependencies -DincludeScope=test -DexcludeGroupIds=org.jcuda \
        -DoutputDirectory="$gpu/lib"
    cp plugins/cuda/$build/opforge-cuda-*.jar "$gpu/lib/"
    cp -r plugins/cuda/$build/test-classes "$gpu/test-classes"
    mvn -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -DoutputDirectory="$gpu"
    javac --release 17 -d "$gpu/bench-classes" -cp "$gpu/lib/*" -sourcepath benchmark-suites/src/main/java \
        benchmark-suites/src/main/java/org/opforge/bench/CudaBench.java
    cp -r "${GOLDEN_DIR:-$root/tests/golden}" "$gpu/golden"
    rm -rf "$gpu/jre"
    jlink --add-modules java.base,java.logging,java.xml,java.management,jdk.unsupported,java.naming,jdk.incubator.vector \
        --strip-debug --no-header-files --no-man-pages --compress=2 --output "$gpu/jre"
    tar czf "$gpu/jre.tar.gz" -C "$gpu" jre && rm -rf "$gpu/jre"
    du -sh "$gpu"
}

runtime() {
    [ -x "$jre/bin/java" ] || { mkdir -p "$jre" && tar xzf "$gpu/jre.tar.gz" -C "$jre" --strip-components=1; }
}

case "$cmd" in
    prepare) prepare ;;
    test)
        runtime
        cd "$root/plugins/cuda"  # the tests look for src/main/cuda and the committed PTX from the module directory
        "$jre/bin/java" --add-modules jdk.incubator.vector -Dgolden.dir="$gpu/golden" -Dcuda.emu.dir=/tmp/opforge-cuda-emu \
            -jar "$gpu/junit-platform-console-standalone-1.14.1.jar" execute \
            --class-path "$gpu/test-classes:$(ls "$gpu"/lib/*.jar | tr '\n' ':')" \
            --select-package org.opforge.cuda --select-class org.opforge.tensor.golden.CudaGoldenTest \
            --details tree --details-theme ascii
        ;;
    bench)
        runtime
        shift
        "$jre/bin/java" --add-modules jdk.incubator.vector -Xmx16g -cp "$gpu/bench-classes:$(ls "$gpu"/lib/*.jar | tr '\n' ':')" \
            org.opforge.bench.CudaBench "$@"
        if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
            python3 "$root/plugins/cuda/peer/cuda_torch.py" "$@"
        else
            echo "no PyTorch with CUDA on this machine: peer skipped" >&2
        fi
        ;;
    *) echo "usage: $0 prepare|test|bench [bench args]" >&2; exit 2 ;;
esac
