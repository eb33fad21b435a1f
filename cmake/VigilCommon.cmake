# One INTERFACE target that carries the language standard, the warnings and the
# Qt defines for every target of the project.
add_library(vigil_common INTERFACE)
add_library(Vigil::common ALIAS vigil_common)

target_compile_features(vigil_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(vigil_common INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O2 reports "may be used uninitialized" inside std::variant's
    # move constructor for every Result<T> (a known false positive); clang and
    # -O0 builds do not. Keep the rest of the warnings as errors.
    target_compile_options(vigil_common INTERFACE -Wno-maybe-uninitialized)
endif()
if(VIGIL_WERROR)
    target_compile_options(vigil_common INTERFACE -Werror)
endif()

target_compile_definitions(vigil_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_KEYWORDS
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    VIGIL_VERSION="${PROJECT_VERSION}")

# VIGIL_SANITIZE: ON or address gives ASan + UBSan, thread gives ThreadSanitizer
# (./dev tsan, docs/reliability.md). The two cannot be combined in one binary.
string(TOLOWER "${VIGIL_SANITIZE}" _vigil_sanitize)
set(_san "")
if(_vigil_sanitize STREQUAL "thread")
    set(_san -fsanitize=thread -fno-omit-frame-pointer)
elseif(_vigil_sanitize MATCHES "^(address|on|yes|true|y|1)$")
    set(_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
elseif(VIGIL_SANITIZE)
    message(FATAL_ERROR "VIGIL_SANITIZE is '${VIGIL_SANITIZE}': use OFF, ON or address (ASan + UBSan), or thread (TSan)")
endif()
if(_san)
    target_compile_options(vigil_common INTERFACE ${_san})
    target_link_options(vigil_common INTERFACE ${_san})
endif()

# Every Qt executable calls this. In a ThreadSanitizer build it links in
# core/tsanqt.cpp, which tells TSan about Qt's queued calls; otherwise nothing.
function(vigil_qt_executable target)
    if(TARGET vigil_tsan_qt)
        target_link_libraries(${target} PRIVATE vigil_tsan_qt)
    endif()
endfunction()
