# Install layout (FHS; README "Installing"): with CMAKE_INSTALL_PREFIX=/usr (scripts/package)
#   /usr/bin/station, /usr/lib/station/station_alms_curl.so   component station
#   /usr/share/station/{profiles,rigs}                          component station
#   /etc/station/{station.toml,register-push.env}               component station (conffiles)
#   /usr/lib/udev/rules.d/70-station-sierra.rules               component station
#   /usr/lib/systemd/system/station-*.{service,timer}           component station
#   /usr/share/man/man1/station.1.gz, bash completion, docs     component station
#   /usr/bin/routersim, /usr/share/routersim/personalities     component routersim
# Files under /etc and /usr/lib/{udev,systemd} go there for any prefix below /usr (they are
# only looked for there); other prefixes (a test's staging folder) keep them under the prefix.
include(GNUInstallDirs)

if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(station_sysconf_dir "/etc/station")
  set(station_lib_dir "/usr/lib")
else()
  set(station_sysconf_dir "${CMAKE_INSTALL_SYSCONFDIR}/station")
  set(station_lib_dir "lib")
endif()

set(pkg_dir ${PROJECT_SOURCE_DIR}/packaging)
set(scripts_dir ${PROJECT_SOURCE_DIR}/scripts)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/fixtures/rigs/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/station/rigs COMPONENT station
  FILES_MATCHING PATTERN "*.toml")
install(FILES ${pkg_dir}/station.toml ${pkg_dir}/register-push.env
  DESTINATION ${station_sysconf_dir} COMPONENT station)
install(FILES ${scripts_dir}/udev/70-station-sierra.rules
  DESTINATION ${station_lib_dir}/udev/rules.d COMPONENT station)
install(FILES
    ${scripts_dir}/systemd/station-regress.service
    ${scripts_dir}/systemd/station-regress.timer
    ${scripts_dir}/systemd/station-register-push.service
    ${scripts_dir}/systemd/station-register-push.timer
  DESTINATION ${station_lib_dir}/systemd/system COMPONENT station)
install(FILES ${pkg_dir}/bash-completion/station
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT station)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${pkg_dir}/copyright
    ${scripts_dir}/systemd/station-regress.env.example
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT station)

install(TARGETS routersim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT routersim)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/fixtures/personalities/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/routersim/personalities COMPONENT routersim)
install(FILES ${pkg_dir}/copyright
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/station-routersim COMPONENT routersim)

# The Debian changelog each package carries (lintian: no-changelog), gzipped reproducibly.
configure_file(${pkg_dir}/deb/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
  COMMAND gzip -9nkf changelog.Debian
  DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.Debian
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}/packaging VERBATIM)
add_custom_target(station_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/station COMPONENT station)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/station-routersim COMPONENT routersim)
# Lintian overrides, each explained in its file (README, "Installing").
install(FILES ${pkg_dir}/lintian/station
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides COMPONENT station)
install(FILES ${pkg_dir}/lintian/station-routersim
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides COMPONENT routersim)
